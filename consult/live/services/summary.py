"""The live session in the results: the dashboard, the report and the workbook.

One function, ``live_summary``, gives what they show: the questions by votes
(text, state, votes, the asker's stakeholder group and the votes by group)
and the closed polls with their results overall and by group. Small groups
are combined by ``results`` as everywhere else. No name of an asker or a
voter is in it: the report may be published, and an anonymous question must
never name its asker, so only the group is carried.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consult.events.models import Event
from consult.live.labels import KIND_LABELS
from consult.live.services.polls import polls_of
from consult.live.services.questions import SHOWN_STATES, questions_of
from consult.live.services.results import poll_results, question_groups

# How many questions the dashboard and the report list.
TOP_QUESTIONS = 10


@dataclass(frozen=True)
class QuestionLine:
    text: str
    state: str  # pending, approved, answered, hidden or merged
    votes: int
    asked_by: str  # the asker's stakeholder group
    by_group: list[tuple[str, int]]


@dataclass
class LiveSummary:
    questions: list[QuestionLine] = field(default_factory=list)  # by votes
    polls: list[dict] = field(default_factory=list)  # closed: poll and results
    poll_count: int = 0  # every poll, closed or not

    @property
    def top_questions(self) -> list[QuestionLine]:
        """The questions moderators let through (approved or answered), the
        most voted first."""
        shown = [q for q in self.questions if q.state in SHOWN_STATES]
        return shown[:TOP_QUESTIONS]

    @property
    def empty(self) -> bool:
        return not self.questions and not self.poll_count


def _answered_groups(results: dict) -> dict:
    """The results without the columns of groups nobody in answered."""
    if results["groups"]:
        results["groups"] = [g for g in results["groups"] if g["n"]]
    return results


def live_summary(event: Event) -> LiveSummary:
    """The event's live questions (most votes first, then oldest) and its
    closed polls (in the order they were made) with their results."""
    questions = questions_of(event.id)
    groups = question_groups(event.id, questions)
    lines = [
        QuestionLine(
            text=q.text,
            state="merged" if q.merged_into_id is not None else q.state,
            votes=groups[q.id]["votes"],
            asked_by=groups[q.id]["asked_by"],
            by_group=groups[q.id]["by_group"],
        )
        for q in questions
    ]
    order = {id(line): n for n, line in enumerate(lines)}
    lines.sort(key=lambda line: (-line.votes, order[id(line)]))
    polls = polls_of(event.id)
    closed = [
        {
            "poll": poll,
            "kind_label": KIND_LABELS.get(poll.kind, poll.kind),
            "results": _answered_groups(poll_results(poll)),
        }
        for poll in polls
        if poll.state == "closed"
    ]
    return LiveSummary(questions=lines, polls=closed, poll_count=len(polls))
