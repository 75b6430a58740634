"""The demo's finished live session: questions with votes and three closed polls.

The consultation of the demo is still ahead (three weeks after the seeding),
so its live room has not opened yet; the session is the one of the city's
past scoping webinar (consult.demo.scoping), or of the consultation itself
once that one is over. The attendees ask twenty questions about Petaling
Jaya's circular-economy challenges, some anonymously, and upvote each other's;
the organiser approves them, merges one duplicate, marks several answered,
and runs three polls (single choice, rating 1 to 5, and the ranking of the
host city's challenges) that most attendees answer. Everything goes through
the live services at instants inside the session, as in a real webinar.
Called by consult.demo.seed_demo() after the scoping webinar.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.demo.scoping import TITLE as SCOPING_TITLE
from consult.events.models import Event
from consult.extensions import db
from consult.live.models import LiveQuestion
from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)
from consult.live.services.questions import ask, merge, moderate, upvote
from consult.registration.models import Registration, StakeholderType

# (stakeholder type of the asker, anonymous, question). The asker is the
# next attendee of that type; the third is a duplicate of the first.
QUESTIONS = [
    ("civil_society", False, "Who will pay for separate food-waste collection at apartment blocks: the council or the management bodies?"),
    ("informal", True, "Will waste pickers be allowed into the new recycling centres, or will they lose their income?"),
    ("private", False, "Who pays for collecting food waste separately from the flats?"),
    ("government", False, "Can MBPJ require food-waste separation in new housing projects through the building plan approval?"),
    ("research", False, "Is there data on how much of PJ's household waste is food? The figures I have seen range from 40 to 60 percent."),
    ("private", False, "Would the council buy recycled plastic products, like benches, through green procurement?"),
    ("civil_society", True, "Night markets still hand out plastic bags every evening. Is a ban being enforced anywhere in PJ?"),
    ("informal", False, "Where can we drop off old phones and fans legally? The licensed e-waste collectors are far from PJ."),
    ("government", False, "How did Utrecht get residents to separate food waste in high-rise buildings?"),
    ("research", False, "Could the university campuses pilot a composting scheme with the neighbouring residents?"),
    ("private", True, "Construction rubble is dumped at night along the rivers. Who is responsible for catching it?"),
    ("civil_society", False, "Can repair cafés use council halls for free, as in Lyon?"),
    ("government", False, "What deposit level would make a return scheme for drink bottles work in Malaysia?"),
    ("informal", False, "Scrap prices fell by half this year. Can the city help small dealers store material until prices recover?"),
    ("research", False, "How will the city measure whether these actions reduce what goes to the Jeram landfill?"),
    ("private", False, "Is there a list of certified e-waste recyclers that companies in PJ can use?"),
    ("civil_society", False, "Will the action plan be translated into Malay, Chinese and Tamil for residents?"),
    ("government", True, "Could demolition permits require a plan for reusing building materials?"),
    ("research", False, "Are digital sharing platforms used by older residents, or only by young people?"),
    ("private", False, "Can food businesses donate surplus food without liability if it is still safe to eat?"),
    ("informal", False, "Will the informal recyclers be invited to the next workshops, and in which language?"),
]  # fmt: skip
MERGED = (2, 0)  # the third question duplicates the first
ANSWERED = (0, 3, 6, 8, 12, 16)
# Which questions (by position) each group leans to upvoting.
LEANINGS = {
    "government": (0, 3, 8, 12, 14, 17),
    "private": (5, 10, 13, 15, 19, 0),
    "research": (4, 9, 14, 18, 0, 8),
    "civil_society": (0, 1, 6, 11, 16, 20),
    "informal": (1, 7, 13, 20, 16),
}
SINGLE = (
    "What should Petaling Jaya do first in the next twelve months?",
    [
        "Separate food waste at source",
        "Ban single-use plastic bags at night markets",
        "Open e-waste drop-off points",
        "Open a repair and reuse hub",
    ],
)
SINGLE_LEANINGS = {
    "government": (4, 3, 1, 1),
    "private": (2, 3, 2, 2),
    "research": (3, 1, 2, 2),
    "civil_society": (2, 2, 2, 3),
    "informal": (1, 1, 4, 2),
}
RATING = (
    "How ready is your organisation to work with the city on these challenges? "
    "(1 = not yet, 5 = fully)"
)
RATING_LEANINGS = {
    "government": (4, 5),
    "private": (3, 4),
    "research": (3, 5),
    "civil_society": (2, 4),
    "informal": (1, 3),
}
RANKING = "Which of Petaling Jaya's challenges should come first?"


def _session_event(consultation: Event, now: datetime) -> Event | None:
    """The consultation once it is over, else the city's scoping webinar."""
    if consultation.end_at <= now:
        return consultation
    if consultation.host_city_id is None:
        return None
    return db.session.scalar(
        select(Event).where(
            Event.host_city_id == consultation.host_city_id,
            Event.title == SCOPING_TITLE,
        )
    )


def _attendees(event: Event) -> list[tuple[Registration, str]]:
    rows = db.session.execute(
        select(Registration, StakeholderType.key)
        .join(StakeholderType, StakeholderType.id == Registration.stakeholder_type_id)
        .where(
            Registration.event_id == event.id,
            Registration.status == "confirmed",
            Registration.attended.is_(True),
        )
        .order_by(Registration.id)
    )
    return [(registration, key) for registration, key in rows]


def _weighted(rng: random.Random, weights) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def seed_live(consultation: Event, organiser, *, now: datetime) -> Event | None:
    """The live session of the demo's past event; flushes. None when there is
    no such event or it has its live questions already (seeding twice)."""
    event = _session_event(consultation, now)
    if event is None or db.session.scalar(
        select(LiveQuestion.id).where(LiveQuestion.event_id == event.id).limit(1)
    ):
        return None
    people = _attendees(event)
    if len(people) < 10:
        return None
    rng = random.Random(20260425)
    start = event.start_at
    questions = _questions(event, organiser, people, start)
    _votes(event, people, questions, rng, start)
    _moderate(event, organiser, questions, start)
    _polls(event, organiser, people, rng, start)
    db.session.flush()
    return event


def _questions(event, organiser, people, start) -> list[LiveQuestion]:
    by_type: dict[str, list[Registration]] = {}
    for registration, key in people:
        by_type.setdefault(key, []).append(registration)
    used: dict[str, int] = {}
    questions = []
    for n, (key, anonymous, text) in enumerate(QUESTIONS):
        group = by_type.get(key) or [r for r, _k in people]
        asker = group[used.get(key, 0) % len(group)]
        used[key] = used.get(key, 0) + 1
        when = start + timedelta(minutes=4 + 2 * n)
        question = ask(asker, text, anonymous=anonymous, now=when)
        moderate(organiser, event, question.id, "approve", now=when)
        questions.append(question)
    return questions


def _votes(event, people, questions, rng, start) -> None:
    when = start + timedelta(minutes=50)
    for n, (registration, key) in enumerate(people):
        liked = set(LEANINGS.get(key, ()))
        liked |= set(rng.sample(range(len(questions)), 3))
        for index in sorted(liked):
            question = questions[index]
            if question.registration_id != registration.id:
                upvote(registration, question.id, now=when + timedelta(seconds=n))


def _moderate(event, organiser, questions, start) -> None:
    duplicate, original = MERGED
    merge(
        organiser,
        event,
        questions[duplicate].id,
        questions[original].id,
        now=start + timedelta(minutes=52),
    )
    for n, index in enumerate(ANSWERED):
        when = start + timedelta(minutes=55 + 4 * n)
        moderate(organiser, event, questions[index].id, "pin", now=when)
        moderate(organiser, event, questions[index].id, "answer", now=when)


def _run_poll(event, organiser, poll, people, answer_of, opens, minutes=4):
    change_poll(organiser, event, poll.id, "launch", now=opens)
    for n, (registration, key) in enumerate(people):
        data = answer_of(key)
        if data is not None:
            when = opens + timedelta(seconds=20 + 5 * n)
            answer_poll(registration, poll.id, data, now=when)
    change_poll(
        organiser, event, poll.id, "close", now=opens + timedelta(minutes=minutes)
    )
    change_poll(
        organiser, event, poll.id, "show", now=opens + timedelta(minutes=minutes)
    )


def _polls(event, organiser, people, rng, start) -> None:
    before = start - timedelta(days=2)
    prompt, labels = SINGLE
    single = create_poll(
        organiser, event, PollData("single", prompt, labels), now=before
    )
    rating = create_poll(organiser, event, PollData("rating", RATING), now=before)
    ranking = create_poll(organiser, event, PollData("ranking", RANKING), now=before)
    options = [o.id for o in single.options]
    # Most attendees answer; about one in eight is away from the screen.

    def skip() -> bool:
        return rng.random() < 0.12

    def choose(key):
        if skip():
            return None
        index = _weighted(rng, SINGLE_LEANINGS.get(key, (1,) * len(options)))
        return AnswerData(option_ids=[options[index]])

    def rate(key):
        low, high = RATING_LEANINGS.get(key, (1, 5))
        return None if skip() else AnswerData(rating=rng.randint(low, high))

    challenges = [o.id for o in ranking.options]

    def rank(key):
        if skip():
            return None
        # Each option's weight decides how likely it comes early.
        weights = {
            "government": (3, 5, 2, 1, 1),
            "private": (2, 4, 1, 2, 2),
            "research": (4, 2, 2, 3, 1),
            "civil_society": (4, 2, 1, 3, 2),
            "informal": (2, 2, 1, 5, 1),
        }.get(key, (1,) * len(challenges))
        pool = [
            (option, weights[i] if i < len(weights) else 1)
            for i, option in enumerate(challenges)
        ]
        order = []
        while pool:
            index = _weighted(rng, [w for _o, w in pool])
            order.append(pool.pop(index)[0])
        return AnswerData(option_ids=order)

    _run_poll(event, organiser, single, people, choose, start + timedelta(minutes=20))
    _run_poll(event, organiser, rating, people, rate, start + timedelta(minutes=40))
    _run_poll(event, organiser, ranking, people, rank, start + timedelta(minutes=75))
