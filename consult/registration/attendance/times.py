"""Read the join and leave times of a report: one date format for the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.registration.attendance.refusals import BadLines, Problem, where
from consult.timeutil import date_in_range, date_range_message, localize


@dataclass(frozen=True)
class Stamp:
    """A date and time as the report writes it, and where."""

    line: int
    column: str
    text: str

    def problem(self, message: str) -> Problem:
        return Problem(self.line, self.column, message)


def read_stamps(
    stamps: list[Stamp], formats: tuple[str, ...], zone: str
) -> dict[Stamp, datetime]:
    """Each stamp as an aware instant, read in the one format of the file."""
    date_format = _date_format(stamps, formats)
    return {stamp: _instant(stamp, date_format, zone) for stamp in stamps}


def _instant(stamp: Stamp, date_format: str, zone: str) -> datetime:
    wall = datetime.strptime(stamp.text, date_format)
    if not date_in_range(wall):
        raise ValidationFailed(
            _(
                "Nothing was imported: %(time)s (%(where)s) is out of range. %(range)s",
                time=stamp.text,
                where=where(stamp.problem("")),
                range=date_range_message(),
            ),
            field="report",
        )
    return localize(wall, zone)


def _unread(stamps: list[Stamp], date_format: str) -> list[Stamp]:
    unread = []
    for stamp in stamps:
        try:
            datetime.strptime(stamp.text, date_format)
        except ValueError:
            unread.append(stamp)
    return unread


def _date_format(stamps: list[Stamp], formats: tuple[str, ...]) -> str:
    """The format reading the most times (the first, on a tie); the lines it
    cannot read are named, since one garbled time is not a format."""
    best, best_unread = formats[0], _unread(stamps, formats[0])
    for candidate in formats[1:]:
        if not best_unread:
            break
        unread = _unread(stamps, candidate)
        if len(unread) < len(best_unread):
            best, best_unread = candidate, unread
    if not best_unread:
        return best
    if len(best_unread) == len(stamps):
        first = min(best_unread, key=lambda s: (s.line, s.column))
        raise ValidationFailed(
            _(
                "The times in this report are in a date format we do not read: "
                '"%(value)s" (%(where)s).',
                value=first.text,
                where=where(first.problem("")),
            ),
            field="report",
        )
    raise BadLines(
        [
            stamp.problem(_('"%(value)s" is not a date and time', value=stamp.text))
            for stamp in best_unread
        ]
    )
