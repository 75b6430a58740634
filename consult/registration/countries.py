"""ISO 3166-1 alpha-2 countries, named from Babel's CLDR data (already pinned).

CLDR also names regions and groupings that are not ISO 3166-1 countries; they
are left out, so exactly the 249 officially assigned codes remain.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import has_app_context

_NOT_ISO_3166_1 = frozenset(
    ["AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"]
)  # fmt: skip


@lru_cache(maxsize=8)
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name in the given locale."""
    names = Locale.parse(locale).territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_ISO_3166_1
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(code for code, _name in country_choices())


def is_country(code: str | None) -> bool:
    return bool(code) and code in _codes()


def country_name(code: str | None, locale: str | None = None) -> str:
    """The country's name in ``locale``, by default the reader's language."""
    if locale is None:
        locale = _current_locale()
    return dict(country_choices(locale)).get(code or "", code or "")


def _current_locale() -> str:
    if not has_app_context():
        return "en"
    from flask_babel import get_locale

    return str(get_locale() or "en")
