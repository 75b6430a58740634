"""Reference codes of paper sheets: ``<event id>-<kind><number>-<check>``.

For example ``12-R0047-K``: event 12, a registration form (R; P: priorities
sheet, S: a survey), sheet number 47 of that event, check character K.

**Issued when printing, and stored.** Every printed copy gets the event's next
sheet number (a ``PaperSheet`` row, consult.facilitators.paper.sheets), so two
copies never share a code. A derived code (from the event and the form alone)
could not tell two copies apart; a stored one also lets the entry page refuse
a code that was never printed, a sheet of another event, or a sheet entered
already (the same paper typed twice), and say which record the sheet made.

**The check character** is Luhn mod 32 over the characters of the event id,
kind and number, in Crockford's base-32 alphabet (no I, L, O, U). It detects
every single mistyped character and every swap of two neighbouring ones,
which are the usual typing slips. Reading is forgiving: lower case, spaces and
dashes are ignored, and O, I and L read as 0, 1 and 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(r"^(\d{1,9})([RPS])(\d{1,9})([0-9A-Z])$")


def check_character(body: str) -> str:
    """Luhn mod N (N = 32) check character of ``body`` (characters of ALPHABET)."""
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


@dataclass(frozen=True)
class SheetCode:
    event_id: int
    kind: str
    number: int

    @property
    def body(self) -> str:
        return f"{self.event_id}{self.kind}{self.number:04d}"

    def __str__(self) -> str:
        return (
            f"{self.event_id}-{self.kind}{self.number:04d}-{check_character(self.body)}"
        )


class BadCode(ValueError):
    """Not a reference code, or one with a wrong check character."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "shape" or "check"


def parse_code(text: str) -> SheetCode:
    """The code typed (forgivingly); BadCode when it is no code or mistyped."""
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").upper()).translate(_LOOKALIKES)
    # A kind letter is never read as a lookalike digit (R, P, S have none).
    match = _SHAPE.match(cleaned)
    if match is None:
        raise BadCode("shape")
    event_id, kind, number, check = match.groups()
    if check_character(f"{event_id}{kind}{number}") != check:
        raise BadCode("check")
    return SheetCode(int(event_id), kind, int(number))
