"""What pages and files call an action's stored kind and status.

Beside the keys rather than in a forms module, so services, the public page
and the plan's files read them without importing forms.
"""

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
