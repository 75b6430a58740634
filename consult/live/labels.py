"""What pages and exports call the live room's kinds of poll and question states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "rating": _l("Rating from 1 to 5"),
    "words": _l("Word cloud (short answers)"),
    "ranking": _l("Which challenge first? (ranking of the challenges)"),
}

QUESTION_STATE_LABELS = {
    "pending": _l("Waiting for approval"),
    "approved": _l("Shown to participants"),
    "answered": _l("Answered"),
    "hidden": _l("Hidden"),
    "merged": _l("Merged into another question"),
}
