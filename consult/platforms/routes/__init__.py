"""The organiser's pages of an event's webinar platform."""

from consult.platforms.routes import manage as _manage  # noqa: F401
