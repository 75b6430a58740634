"""The live room's state as plain data: what the pages render and what the
pollers fetch as JSON (``/events/<slug>/live/state.json`` and the
moderators'). The shared part depends only on the event's data version, so a
web worker keeps it per version; the participant's own part is small.

Anonymous questions carry no name, id or group of their asker in anything a
participant receives.
"""

from __future__ import annotations

import hashlib
import json

from consult.events.models import Event
from consult.live.models import LiveQuestion
from consult.live.services.polls import answered_by, polls_of
from consult.live.services.questions import (
    SHOWN_STATES,
    questions_by,
    questions_of,
    vote_counts,
    votes_of,
)
from consult.live.services.results import poll_results, question_groups
from consult.live.services.window import settings_of, window_of
from consult.registration.models import Registration
from consult.timeutil import iso_utc


def _question(question: LiveQuestion, votes: int, *, moderator: bool) -> dict:
    item = {
        "id": question.id,
        "text": question.text,
        "state": question.state,
        "pinned": question.pinned,
        "votes": votes,
        "anonymous": question.anonymous,
        "asked_at": iso_utc(question.created_at),
        "author": None,
    }
    if moderator or not question.anonymous:
        item["author"] = question.registration.full_name
    if moderator:
        item["merged_into"] = question.merged_into_id
    return item


def _polls(event: Event, *, moderator: bool) -> list[dict]:
    states = None if moderator else ("open", "closed")
    polls = []
    for poll in polls_of(event.id, states=states):
        shown = moderator or poll.state == "closed" or poll.results_shown
        polls.append(
            {
                "id": poll.id,
                "kind": poll.kind,
                "prompt": poll.prompt,
                "state": poll.state,
                "results_shown": poll.results_shown,
                "options": [{"id": o.id, "label": o.label} for o in poll.options],
                "results": poll_results(poll) if shown else None,
            }
        )
    return polls


def shared_state(event: Event) -> dict:
    """What every participant of the room sees alike."""
    settings = settings_of(event)
    window = window_of(event, settings)
    counts = vote_counts(event.id)
    every = questions_of(event.id)
    questions = [
        _question(q, counts.get(q.id, 0), moderator=False)
        for q in every
        if q.state in SHOWN_STATES and q.merged_into_id is None
    ]
    polls = _polls(event, moderator=False)
    return {
        "event": event.slug,
        "opens_at": iso_utc(window.opens_at),
        "closes_at": iso_utc(window.closes_at),
        "questions_enabled": settings.questions_enabled,
        "anonymous_allowed": settings.anonymous_allowed,
        "questions": questions,
        # Only the ids of questions hidden or merged by the moderators: a
        # page takes its own out of "awaiting a moderator" (never their text).
        "removed": [
            q.id for q in every if q.state == "hidden" or q.merged_into_id is not None
        ],
        "polls": polls,
        # Pages swap their polls part (answer forms) only when a poll opens,
        # closes or shows its results; live counts come with the document.
        "polls_key": _digest(
            [(p["id"], p["state"], p["results_shown"]) for p in polls]
        ),
    }


def own_state(registration: Registration) -> dict:
    """What only this participant sees: their votes, answers and questions."""
    mine = [
        {"id": q.id, "text": q.text, "state": q.state, "anonymous": q.anonymous}
        for q in questions_by(registration)
    ]
    return {
        "voted": sorted(votes_of(registration)),
        "answered": sorted(answered_by(registration)),
        "mine": mine,
    }


def moderator_state(event: Event) -> dict:
    """Everything moderators see: every question with its asker, every poll."""
    counts = vote_counts(event.id)
    questions = questions_of(event.id)
    groups = question_groups(event.id, questions)
    items = []
    for question in questions:
        item = _question(question, counts.get(question.id, 0), moderator=True)
        item["asked_by_group"] = groups[question.id]["asked_by"]
        item["votes_by_group"] = groups[question.id]["by_group"]
        items.append(item)
    return {
        "event": event.slug,
        "questions": items,
        "polls": _polls(event, moderator=True),
    }


def ordered(questions: list[dict], sort: str) -> list[dict]:
    """Most votes first (then oldest), or newest first."""
    if sort == "time":
        return sorted(questions, key=lambda q: q["asked_at"], reverse=True)
    return sorted(questions, key=lambda q: (-q["votes"], q["asked_at"], q["id"]))


def _digest(value) -> str:
    encoded = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
