"""Poll results overall and by stakeholder group; who asked and voted for
each question, by group.

Groups follow the surveys' small-group rule (``hidden_groups``): a group with
fewer answers than the threshold is combined with the other small ones into
"Other groups", and while those together stay under the threshold the
smallest shown group joins them, so no group's answers can be worked out.
Under the threshold in all, no split is shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from consult.extensions import db
from consult.live.models import LivePoll, LivePollAnswer, LiveQuestionVote
from consult.registration.models import Registration, StakeholderType
from consult.shares import percent
from consult.surveys.results.privacy import hidden_groups, too_few

OTHERS = "others"
TOP_WORDS = 30


def _share(part: int, whole: int) -> int:
    return int(percent(part, whole) or 0)


def _type_labels(event_id: int) -> dict[int, str]:
    rows = db.session.execute(
        select(StakeholderType.id, StakeholderType.label)
        .where(StakeholderType.event_id == event_id)
        .order_by(StakeholderType.position, StakeholderType.id)
    )
    return dict(rows.all())


def _summary(poll: LivePoll, answers: list[LivePollAnswer]) -> dict:
    """The figures of one set of answers (everyone, or one group)."""
    n = len(answers)
    if poll.kind == "rating":
        counts = Counter(a.rating for a in answers)
        mean = sum(a.rating for a in answers) / n if n else None
        return {
            "n": n,
            "mean": round(mean, 1) if mean is not None else None,
            "rows": [
                {"label": str(r), "count": counts[r], "share": _share(counts[r], n)}
                for r in range(1, 6)
            ],
        }
    if poll.kind == "words":
        counts = Counter(a.word.casefold() for a in answers if a.word)
        return {
            "n": n,
            "rows": [
                {"label": word, "count": count, "share": _share(count, n)}
                for word, count in counts.most_common(TOP_WORDS)
            ],
        }
    if poll.kind == "ranking":
        return {"n": n, "rows": _ranking(poll, answers)}
    counts = Counter(o for a in answers for o in a.option_ids)
    return {
        "n": n,
        "rows": [
            {"label": o.label, "count": counts[o.id], "share": _share(counts[o.id], n)}
            for o in poll.options
        ],
    }


def _ranking(poll: LivePoll, answers: list[LivePollAnswer]) -> list[dict]:
    """Options by mean rank (1 is first), with how often each came first."""
    ranks: dict[int, list[int]] = defaultdict(list)
    for answer in answers:
        for rank, option_id in enumerate(answer.option_ids, start=1):
            ranks[option_id].append(rank)
    rows = []
    for option in poll.options:
        given = ranks.get(option.id, [])
        first = sum(1 for r in given if r == 1)
        rows.append(
            {
                "label": option.label,
                "count": first,
                "share": _share(first, len(answers)),
                "mean_rank": round(sum(given) / len(given), 1) if given else None,
            }
        )
    return sorted(rows, key=lambda r: (r["mean_rank"] is None, r["mean_rank"] or 0))


def poll_results(poll: LivePoll, *, by_group: bool = True) -> dict:
    """The poll's figures overall and, when enough answered, by group."""
    rows = db.session.execute(
        select(LivePollAnswer, Registration.stakeholder_type_id)
        .join(Registration, Registration.id == LivePollAnswer.registration_id)
        .where(LivePollAnswer.poll_id == poll.id)
        .order_by(LivePollAnswer.id)
    ).all()
    answers = [answer for answer, _type in rows]
    result = {"overall": _summary(poll, answers), "groups": None}
    if not by_group or poll.kind == "words":
        return result
    if too_few(len(answers)) or not answers:
        result["too_few"] = bool(answers)
        return result
    grouped: dict[int, list[LivePollAnswer]] = defaultdict(list)
    for answer, type_id in rows:
        grouped[type_id].append(answer)
    result["groups"] = _groups(poll, grouped)
    return result


def _groups(poll: LivePoll, grouped: dict) -> list[dict]:
    labels = _type_labels(poll.event_id)
    counts = {type_id: len(answers) for type_id, answers in grouped.items()}
    hidden = hidden_groups(counts)
    groups = [
        {"label": label, **_summary(poll, grouped.get(type_id, []))}
        for type_id, label in labels.items()
        if type_id not in hidden
    ]
    combined = [a for type_id in hidden for a in grouped.get(type_id, [])]
    if combined:
        groups.append({"label": _("Other groups"), **_summary(poll, combined)})
    return groups


def question_groups(event_id: int, questions) -> dict[int, dict]:
    """For moderators: each question's asker's group and its votes by group,
    small groups combined as for polls."""
    labels = _type_labels(event_id)
    ids = [q.id for q in questions]
    votes: dict[int, Counter] = defaultdict(Counter)
    if ids:
        rows = db.session.execute(
            select(LiveQuestionVote.question_id, Registration.stakeholder_type_id)
            .join(Registration, Registration.id == LiveQuestionVote.registration_id)
            .where(LiveQuestionVote.question_id.in_(ids))
        )
        for question_id, type_id in rows:
            votes[question_id][type_id] += 1
    out = {}
    for question in questions:
        counts = votes[question.id]
        hidden = hidden_groups(dict(counts))
        split = [
            (labels.get(t, ""), n)
            for t, n in sorted(counts.items(), key=lambda kv: -kv[1])
            if t not in hidden
        ]
        others = sum(counts[t] for t in hidden)
        if others:
            split.append((_("Other groups"), others))
        out[question.id] = {
            "asked_by": labels.get(question.registration.stakeholder_type_id, ""),
            "votes": sum(counts.values()),
            "by_group": split,
        }
    return out
