"""The organisers' "Facilitators" page and the facilitators' own pages."""

from consult.facilitators.routes import (  # noqa: F401
    facilitator,
    on_behalf,
    organiser,
    paper,
    paper_import,
)
