"""What pages call a commitment's stored pillar and status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PILLAR_LABELS = {
    "mitigation": _l("Mitigation"),
    "adaptation": _l("Adaptation"),
    "energy_access": _l("Access to energy"),
}
PILLAR_HELP = {
    "mitigation": _l("Cutting greenhouse gas emissions."),
    "adaptation": _l("Preparing for the effects of climate change."),
    "energy_access": _l("Secure, sustainable and affordable energy for all."),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "adopted": _l("Adopted"),
    "in_progress": _l("In progress"),
    "achieved": _l("Achieved"),
    "revised": _l("Revised"),
}
