"""Contributions pages: public call and proposals, review, city challenges, files."""

from consult.contributions.routes import (  # noqa: F401
    city,
    manage,
    proposer,
    public,
    review,
    uploads,
)
