"""Circular-economy categories: of challenges, of inputs and of library resources.

Shared, not the challenges area's: the library files its resources under them
too, and the challenges area links its inputs to the library.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# key -> label; the keys are stored, so never rename one.
CATEGORIES: dict[str, object] = {
    "food_organic": _l("Food & organic waste"),
    "plastics_packaging": _l("Plastics & packaging"),
    "construction": _l("Construction & built environment"),
    "e_waste": _l("Electrical & electronic waste"),
    "digital_platforms": _l("Digital sharing tools & platforms"),
    "water": _l("Water"),
    "energy": _l("Energy"),
    "mobility": _l("Mobility"),
    "other": _l("Other"),
}


def category_label(key: str | None) -> str:
    """The category's label, or an empty string for none or an unknown key."""
    return str(CATEGORIES.get(key, "")) if key else ""


def category_choices() -> list[tuple[str, str]]:
    """(key, label) pairs for a select field, in the order above."""
    return [(key, str(label)) for key, label in CATEGORIES.items()]
