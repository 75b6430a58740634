"""The organisers' "Facilitators" page and the facilitators' own pages."""

from consult.facilitators.routes import facilitator, on_behalf, organiser  # noqa: F401
