"""The organisers' "Facilitators" page and the facilitators' own pages."""

from consult.facilitators.routes import facilitator, organiser  # noqa: F401
