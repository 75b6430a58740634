"""Directory pages: the participant's (through their manage link) and the organisers'."""

from consult.directory.routes import (
    manage,  # noqa: F401
    meetings,  # noqa: F401
    participant,  # noqa: F401
)
