"""Challenges pages: public, participants' and experts', organisers'."""

from consult.challenges.routes import (
    manage,  # noqa: F401
    manage_inputs,  # noqa: F401
    participant,  # noqa: F401
    public,  # noqa: F401
)
