"""Demo facilitation (`seed-demo`): a community facilitator of the Petaling
Jaya consultation and the informal-sector people she reached.

She registered ten people without email (by phone or at the night market,
their mobile numbers in E.164), recorded their priorities, one input and
their answers to the pre-event survey, all through the facilitators' own
services: what the demo shows is what a real facilitator's work produces.
They agreed to SMS, so their confirmations are queued as SMS: the scheduler
of `make run` writes them under instance/sms/ (no gateway configured).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.passwords import hash_password
from consult.challenges.services import InputData, event_challenges
from consult.demo.surveys import _raw_answers
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.inputs import record_input
from consult.facilitators.models import EventFacilitator
from consult.facilitators.services import record_priorities, register_person
from consult.facilitators.surveys import record_survey_answers
from consult.registration.services.validation import RegistrationData
from consult.surveys.models import Survey

DEMO_FACILITATOR_EMAIL = "facilitator@example.org"
DEMO_FACILITATOR_PASSWORD = "consult-demo"
DEMO_FACILITATOR_NAME = "Nurul Huda (PJ Community Outreach)"

# (name, organisation or trade, mobile number in E.164, channel, points for
# the five challenges in the demo's order, answered the pre-event survey)
PEOPLE = [
    ("Rosnah binti Ahmad", "SS2 night market, food stall", "+60123450101", "in_person", (4, 3, 0, 3, 0), True),
    ("Muthu a/l Krishnan", "Waste picker, Section 17", "+60163450102", "phone", (2, 4, 0, 4, 0), True),
    ("Tan Ah Huat", "Scrap metal collector", "+60173450103", "phone", (1, 3, 1, 5, 0), True),
    ("Faridah binti Osman", "Kuih seller, Pasar Malam Seksyen 14", "+60193450104", "in_person", (5, 3, 0, 2, 0), True),
    ("Rahim bin Said", "Lorry driver, recyclables", "+601123456105", "phone", (3, 3, 0, 4, 0), True),
    ("Devi a/p Subramaniam", "Home-based tailor", "+60133450106", "in_person", (3, 2, 0, 3, 2), False),
    ("Azman bin Yusof", "Waste picker, SS2 area", "+60143450107", "phone", (2, 5, 0, 3, 0), True),
    ("Lim Ah Moi", "Hawker, Kampung Lindungan", "+60183450108", "in_person", (6, 2, 0, 2, 0), True),
    ("Hamidah binti Ismail", "Community recycling bank volunteer", "+60103450109", "phone", (3, 4, 0, 3, 0), False),
    ("Kamal bin Hassan", "Second-hand goods trader", "+60123450110", "phone", (2, 2, 1, 4, 1), True),
]  # fmt: skip

INPUT = InputData(
    kind="problem_insight",
    title="Stall food waste has nowhere to go after the night market",
    body=(
        "At closing time the food stalls throw their leftovers into the same "
        "bins as the plastic. Nobody collects it separately, so it smells, it "
        "draws rats and the plastic cannot be sorted any more. A cart that "
        "comes round at 11 pm would solve most of it; we would use it."
    ),
    consent_named=True,
)


def demo_facilitator(event: Event, organiser, *, now: datetime) -> User:
    """The demo facilitator account (password for local demos only), a
    facilitator of the demo event."""
    user = db.session.scalar(select(User).where(User.email == DEMO_FACILITATOR_EMAIL))
    if user is None:
        user = User(
            email=DEMO_FACILITATOR_EMAIL,
            name=DEMO_FACILITATOR_NAME,
            role="facilitator",
            password_hash=hash_password(DEMO_FACILITATOR_PASSWORD),
            created_at=now,
            password_changed_at=now,
            language="ms",
        )
        db.session.add(user)
        db.session.flush()
    db.session.add(
        EventFacilitator(
            event_id=event.id, user_id=user.id, added_at=now, added_by_id=organiser.id
        )
    )
    db.session.flush()
    return user


def seed_facilitation(event: Event, organiser, *, now: datetime) -> int:
    """The facilitator and the people she registered, with their priorities,
    one input and their survey answers; flushes; returns the people count."""
    rng = random.Random(20261204)
    user = demo_facilitator(event, organiser, now=now - timedelta(days=9))
    challenges = event_challenges(event)
    pre = db.session.scalar(
        select(Survey)
        .where(Survey.event_id == event.id, Survey.kind == "pre_event")
        .order_by(Survey.id)
    )
    for n, (name, trade, phone, channel, points, answers) in enumerate(PEOPLE):
        # Over the last eight days, a few each day, in daytime hours.
        met = (now - timedelta(days=8 - n % 8, hours=6 - n % 3)).replace(microsecond=0)
        person = register_person(
            event,
            user,
            RegistrationData(
                full_name=name, organisation=trade, country="MY",
                city="Petaling Jaya", timezone="Asia/Kuala_Lumpur", phone=phone,
                type_key="informal", language="ms", consent_privacy=True,
                consent_sms=True,
                needs_interpretation="Bahasa Malaysia",
            ),
            channel,
            now=met,
        ).registration  # fmt: skip
        if person.status != "confirmed":
            continue
        record_priorities(
            event,
            user,
            person.id,
            {c.id: p for c, p in zip(challenges, points, strict=True)},
            channel,
            now=met + timedelta(minutes=10),
        )
        if n == 0:
            data = replace(INPUT, challenge_id=challenges[0].id)
            record_input(
                event, user, person.id, data, channel, now=met + timedelta(minutes=20)
            )
        if answers and pre is not None and pre.is_open(met + timedelta(minutes=30)):
            record_survey_answers(
                event,
                user,
                person.id,
                pre.id,
                _raw_answers(pre, "informal", rng),
                channel,
                now=met + timedelta(minutes=30),
            )
    db.session.flush()
    return len(PEOPLE)
