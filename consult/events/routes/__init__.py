"""Event pages: public (``public``), organiser (``manage``), agenda and organisers."""

from consult.events.routes import (  # noqa: F401
    agenda,
    languages,
    manage,
    organisers,
    privacy,
    public,
)
