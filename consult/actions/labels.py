"""What people read for an action's kind and status, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "policy": _l("Policy"),
    "pilot": _l("Pilot project"),
    "study": _l("Study"),
    "capacity_building": _l("Capacity building"),
    "investment": _l("Investment"),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "delayed": _l("Delayed"),
    "dropped": _l("Dropped"),
}
