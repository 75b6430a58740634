"""Whole numbers from people: URL parts, query strings and form values.

Every integer column is an INTEGER on PostgreSQL (-2^31 .. 2^31 - 1); SQLite
takes up to 2^63 - 1 and its driver raises OverflowError beyond. A number a
client sends reaches a query before any 404 unless it is bounded first, so
every integer that comes from a request is read here: ASCII digits only (so
"²", "١" or "1_000" are not numbers), a bounded length, and a range no wider
than the column's. Out of range means "no such thing": a 404 for a URL, the
default for a query value, a message next to a form field.
"""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter, ValidationError

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1  # an INTEGER column on PostgreSQL; ids are INTEGER
MAX_SEATS = 1_000_000  # an event's capacity or a type's cap: a sane most
MAX_DIGITS = 12  # longer text is no number we keep, and int() is never slow


def parse_int(
    value, *, low: int | None = INT_MIN, high: int | None = INT_MAX
) -> int | None:
    """The integer written as ``value`` (ASCII digits, an optional sign,
    surrounding spaces allowed) when it lies in [low, high], else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        digits = text[1:] if text[:1] in ("-", "+") else text
        if not (0 < len(digits) <= MAX_DIGITS) or not digits.isascii():
            return None
        if not digits.isdigit():
            return None
        number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def parse_id(value) -> int | None:
    """A positive id that fits the id columns, or None."""
    return parse_int(value, low=1, high=INT_MAX)


def coerce_id(value) -> int:
    """``coerce`` for a select of ids: ValueError (a form error) unless an id."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"not an id: {str(value)[:20]!r}")
    return number


def query_int(name: str, default: int | None = None, *, low=1, high=INT_MAX):
    """The query argument ``name`` as an integer in [low, high], else ``default``.

    A missing, malformed or out-of-range value is the default, never an error:
    these are filters and page numbers in links people edit by hand.
    """
    number = parse_int(request.args.get(name), low=low, high=high)
    return default if number is None else number


def query_page(name: str = "page") -> int:
    """The page number asked for; anything that is not a page is page 1."""
    return query_int(name, 1, low=1, high=INT_MAX)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` for every route: ASCII digits within the column's range.

    Werkzeug's own converter takes any Unicode digit and any size, so
    ``/library/2147483648`` reached PostgreSQL ("integer out of range") and
    ids of 2^63 and more SQLite's driver (OverflowError): both were a 500.
    A value out of range does not match the rule, which answers 404.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        low = (INT_MIN if signed else 0) if min is None else min
        high = INT_MAX if max is None else max
        super().__init__(map, fixed_digits, _clamp(low), _clamp(high), signed)

    @property
    def signed_regex(self) -> str:
        return r"-?[0-9]+"

    def to_python(self, value: str):
        if len(value.lstrip("-")) > MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def _clamp(number: int) -> int:
    return min(max(number, INT_MIN), INT_MAX)


def install_converters(app) -> None:
    """Make ``<int:...>`` bounded on every rule; before any rule is added."""
    app.url_map.converters["int"] = BoundedIntConverter
