"""The live session's two sheets of the event's workbook.

"Live questions": every question with its state, votes, the asker's
stakeholder group (never the asker: an anonymous question stays anonymous in
a file too) and its votes by group. "Live polls": one row per option (or
word) of each closed poll, overall and by group. Both come from
``live_summary``, so they hold what the dashboard and the report show;
``consult.exports`` neutralises text a spreadsheet would run as a formula.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.events.models import Event
from consult.exports import Sheet
from consult.live.labels import KIND_LABELS, QUESTION_STATE_LABELS
from consult.live.services.summary import LiveSummary, live_summary


def _split(pairs) -> str:
    return "; ".join(f"{label}: {n}" for label, n in pairs)


def questions_sheet(summary: LiveSummary) -> Sheet:
    header = [
        _("Question"),
        _("State"),
        _("Votes"),
        _("Asked by (stakeholder group)"),
        _("Votes by stakeholder group"),
    ]
    rows = [
        [
            q.text,
            str(QUESTION_STATE_LABELS.get(q.state, q.state)),
            q.votes,
            q.asked_by,
            _split(q.by_group),
        ]
        for q in summary.questions
    ]
    return Sheet(_("Live questions"), header, rows)


def _group_cell(groups, label: str, kind: str) -> str:
    pairs = []
    for group in groups or []:
        for row in group["rows"]:
            if row["label"] == label:
                value = row.get("mean_rank") if kind == "ranking" else row["count"]
                pairs.append((group["label"], "–" if value is None else value))
    return _split(pairs)


def polls_sheet(summary: LiveSummary) -> Sheet:
    header = [
        _("Poll"),
        _("Kind"),
        _("Option"),
        _("Answers"),
        _("Share (%)"),
        _("Mean rank"),
        _("Answers by stakeholder group"),
    ]
    rows = []
    for item in summary.polls:
        poll, results = item["poll"], item["results"]
        for row in results["overall"]["rows"]:
            rows.append(
                [
                    poll.prompt,
                    str(KIND_LABELS.get(poll.kind, poll.kind)),
                    row["label"],
                    row["count"],
                    row["share"],
                    row.get("mean_rank"),
                    _group_cell(results["groups"], row["label"], poll.kind),
                ]
            )
    return Sheet(_("Live polls"), header, rows)


def live_sheets(event: Event) -> list[Sheet]:
    """Both sheets; none when the event had no live questions or polls."""
    summary = live_summary(event)
    if summary.empty:
        return []
    return [questions_sheet(summary), polls_sheet(summary)]
