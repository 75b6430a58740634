"""Event pages: public (``public``), organiser (``manage``), agenda and organisers."""

from consult.events.routes import agenda, manage, organisers, public  # noqa: F401
