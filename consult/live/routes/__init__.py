"""Live room pages: the participants' room and the moderators' pages."""

from consult.live.routes import (
    manage,  # noqa: F401
    polls,  # noqa: F401
    room,  # noqa: F401
)
