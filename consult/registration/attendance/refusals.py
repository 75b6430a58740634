"""Why a report is refused, naming the line, the column and the value."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.errors import ValidationFailed

MAX_LINES_NAMED = 5  # a refusal names this many bad lines, then counts the rest


@dataclass(frozen=True, order=True)
class Problem:
    """One value of a report that cannot be read, and where it is."""

    line: int
    column: str | None
    problem: str


class BadLines(Exception):
    """Lines of a recognised report that cannot be read."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def not_a_report() -> ValidationFailed:
    return ValidationFailed(
        _("This does not look like a Zoom or Teams attendance report."),
        field="report",
    )


def where(problem: Problem) -> str:
    """'line 4, column "Join Time"', or only the line when no column is to blame."""
    if problem.column is None:
        return _("line %(number)d", number=problem.line)
    return _(
        'line %(number)d, column "%(column)s"',
        number=problem.line,
        column=problem.column,
    )


def bad_lines(problems: list[Problem]) -> ValidationFailed:
    """The whole report refused, naming each line that cannot be read."""
    shown = "; ".join(
        f"{where(problem)}: {problem.problem}"
        for problem in sorted(problems)[:MAX_LINES_NAMED]
    )
    more = len(problems) - MAX_LINES_NAMED
    if more > 0:
        shown += "; " + ngettext(
            "and %(num)d more line", "and %(num)d more lines", more
        )
    return ValidationFailed(
        _(
            "Nothing was imported: some lines of this report cannot be read "
            "(%(lines)s). Correct them, or export the report again, and upload "
            "the whole file again.",
            lines=shown,
        ),
        field="report",
    )
