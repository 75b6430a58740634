"""Live room pages: the participants' room and the moderators' pages."""

import consult.live.services.privacy  # noqa: F401  (erasure and export hooks)
from consult.live.routes import (
    manage,  # noqa: F401
    polls,  # noqa: F401
    room,  # noqa: F401
)
