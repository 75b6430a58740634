"""Demo content for the challenges area, added by consult.demo.seed_demo().

Petaling Jaya's five challenges, about forty inputs from the demo registrants
and three invited experts (two approved), supports, and every confirmed
registrant's 10 points: each stakeholder type leans its own way, so the
organiser's chart shows where the groups disagree. Everything goes through the
real services; the texts are in consult.demo.challenges_data.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.challenges.models import Input
from consult.challenges.services import (
    Author,
    ChallengeData,
    ExpertProfile,
    InputData,
    WindowData,
    accept_invitation,
    add_challenge,
    decide_expert,
    hide_input,
    invite_expert,
    merge_input,
    publish_input,
    save_priorities,
    submit_input,
    support_input,
    update_moderation,
    update_window,
)
from consult.demo.challenges_data import CHALLENGES, EXPERTS, INPUTS
from consult.extensions import db
from consult.registration.models import Registration

# Each type's leaning across the five challenges (weights for its 10 points).
TYPE_WEIGHTS = {
    "government": (3, 3, 2, 1, 1),
    "private": (1, 3, 3, 1, 2),
    "research": (2, 2, 2, 2, 2),
    "civil_society": (3, 4, 0, 1, 2),
    "informal": (3, 3, 0, 4, 0),
}


def _points(weights, rng: random.Random) -> dict[int, int]:
    """Ten points spread by the weights with some personal variation."""
    noisy = [max(w + rng.choice((-1, 0, 0, 1)), 0) for w in weights]
    if not sum(noisy):
        noisy = list(weights)
    raw = [10 * w / sum(noisy) for w in noisy]
    points = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - points[i], reverse=True):
        if sum(points) == 10:
            break
        points[i] += 1
    return dict(enumerate(points))


def _experts(event, organiser, now) -> list:
    experts = []
    for email, name, org, city, country, expertise, approved in EXPERTS:
        expert = invite_expert(
            event, organiser, email=email, name=name, now=now - timedelta(days=9)
        )
        accept_invitation(
            expert,
            ExpertProfile(name, org, city, country, expertise),
            now=now - timedelta(days=8),
        )
        if approved:
            decide_expert(expert, organiser, True, now=now - timedelta(days=7))
        experts.append(expert)
    return experts


def _author(name: str, people: dict, experts: list) -> Author:
    if name.startswith("expert:"):
        return Author(expert=experts[int(name.split(":")[1])])
    return Author(registration=people[name])


def _inputs(event, organiser, challenges, people, experts, now) -> list[Input]:
    made: list[Input] = []
    for n, (index, kind, who, state, title, body, extra) in enumerate(INPUTS):
        when = now - timedelta(days=6) + timedelta(hours=3 * n)
        item = submit_input(
            event,
            _author(who, people, experts),
            InputData(
                kind=kind,
                title=title,
                body=body,
                challenge_id=challenges[index].id if index is not None else None,
                consent_named=n % 3 != 1,
                **extra,
            ),
            now=when,
        )
        item.is_demo = True
        moderated = when + timedelta(hours=5)
        if state == "published":
            publish_input(item, organiser, now=moderated)
        elif state == "hidden":
            hide_input(
                item,
                organiser,
                "Advertising for a company's services is not an input to the "
                "consultation. You are welcome to describe the problem you see.",
                now=moderated,
            )
        made.append(item)
    by_title = {i.title: i for i in made}
    merge_input(
        by_title["Deposit on bottles"],
        organiser,
        by_title["A deposit-refund system for drinks containers"].id,
        now=now - timedelta(days=1),
    )
    return made


def _moderation(items: list[Input], organiser, now) -> None:
    by_title = {i.title: i for i in items}
    notes = {
        "Hawker centres have nowhere to put food waste": (
            "hawkers, separate collection",
            "Thank you. MBPJ will test separate food-waste bins at two hawker "
            "centres in the pilot phase.",
            True,
        ),
        "Waste pickers collect most recycled plastic and are invisible": (
            "informal sector, inclusion",
            "",
            True,
        ),
        "Black soldier fly pilot at the SS2 market": ("pilot, markets", "", True),
        "Formalise ten informal dismantlers as a cooperative": (
            "informal sector, pilot",
            "We will discuss this proposal with the Department of Environment.",
            True,
        ),
        "How do you stop illegal dumping of rubble?": (
            "enforcement",
            "Dr. Lena Hoffmann will address this in the expert panel; her "
            "slides will be shared after the webinar.",
            False,
        ),
    }
    for title, (tags, answer, selected) in notes.items():
        update_moderation(
            by_title[title],
            organiser,
            tags=tags,
            answer=answer,
            selected_for_plan=selected,
            now=now - timedelta(hours=12),
        )


def _supports(items, registrations, rng, now) -> None:
    published = [i for i in items if i.state == "published"]
    for registration in registrations:
        for item in rng.sample(published, k=min(len(published), rng.randint(0, 6))):
            support_input(item, registration, now=now - timedelta(hours=6))


def seed_challenges(event, organiser, *, now: datetime) -> int:
    """Add this area's demo content to the fresh demo event; flushes; returns a count."""
    rng = random.Random(20261124)
    update_window(
        event,
        organiser,
        WindowData(
            opens_at=now - timedelta(days=10),
            closes_at=max(event.end_at, now) + timedelta(days=14),
            priority_method="points",
        ),
        now=now - timedelta(days=10),
    )
    challenges = [
        add_challenge(
            event,
            organiser,
            ChallengeData(title, description, category, "Petaling Jaya"),
            now=now - timedelta(days=10),
        )
        for title, category, description in CHALLENGES
    ]
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
        )
    )
    people = {r.full_name: r for r in registrations}
    experts = _experts(event, organiser, now)
    items = _inputs(event, organiser, challenges, people, experts, now)
    _moderation(items, organiser, now)
    confirmed = [r for r in registrations if r.status == "confirmed"]
    _supports(items, confirmed, rng, now)
    for registration in confirmed:
        weights = TYPE_WEIGHTS.get(registration.stakeholder_type.key, (2,) * 5)
        points = _points(weights, rng)
        save_priorities(
            registration,
            {challenges[i].id: p for i, p in points.items()},
            now=now - timedelta(hours=rng.randint(1, 200)),
        )
    db.session.flush()
    return len(challenges) + len(items)
