"""Demo surveys for the Petaling Jaya consultation, added by consult.demo.seed_demo().

The demo event lies about three weeks ahead, so the two surveys are where a
real organiser's would be at this point:

- the pre-event survey ("Before the webinar") opened ten days ago for every
  confirmed registrant, named, with an automatic reminder twelve days after
  opening (two days from now).
  About two thirds of the registrants have answered, through the real
  services, with answers that differ by stakeholder type (the informal sector
  is newer to the circular economy and cares most about plastics and food
  waste at markets; companies look for pilot partners; researchers want the
  library), a few have a draft, and the rest are on the non-responders list.
  Those who have not answered were just sent the invitation email.
  This is the survey whose results and charts the organiser explores now.
- the post-event feedback survey is built and scheduled: it opens when the
  webinar ends, for attendees, anonymously, and closes two weeks later. It has
  no answers, because nobody can give feedback on a webinar that has not
  happened; storing some would make the demo contradict itself (answers dated
  before the survey opened, from people not yet marked as attendees). The
  organiser previews it and can try the form in the preview; attendees
  receive it with the follow-up email after the event.

A participant completes the pre-event survey in a browser through the link on
their manage page or in the invitation email, without a password.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import Survey
from consult.surveys.services import (
    OptionEdit,
    QuestionData,
    SurveyData,
    add_question,
    create_survey,
    save_draft,
    send_invitations,
    submit_response,
)
from consult.timeutil import localize, to_local, wall_clock

CHALLENGES = [
    "Food and organic waste",
    "Plastic pollution and packaging",
    "Construction material flow and design",
    "Household e-waste",
    "Lack of digital sharing tools and platforms",
]
EXPECTATIONS = [
    "Learn from European cities' best practices",
    "Find partners for pilot projects",
    "Influence Malaysia's Circular Economy Roadmap",
    "Understand funding and financing options",
    "Share our own experience",
]
FAMILIARITY = ["Not at all familiar", "Slightly familiar", "Moderately familiar",
               "Very familiar", "Expert"]  # fmt: skip
FOLLOW_UPS = [
    "A written summary report",
    "Thematic working groups",
    "Site visits in Petaling Jaya",
    "An online library of resources",
    "One-to-one matchmaking with partners",
]
PILOTS = [
    "Composting food waste from hawker centres and wet markets",
    "Refill and deposit-return for beverage packaging",
    "Material passports for public construction projects",
    "E-waste collection points run with informal collectors",
    "A neighbourhood sharing platform for tools and spaces",
]

# Per stakeholder type: weights for expectations, familiarity points (1-5),
# challenges and follow-ups, and a few things people wrote.
PROFILES = {
    "government": dict(expect=[4, 2, 5, 3, 1], familiar=[0, 1, 4, 4, 1],
                       challenge=[4, 2, 4, 1, 2], follow=[3, 5, 2, 1, 1],
                       notes=["How Utrecht organised circular procurement across departments.",
                              "Clear next steps for the state and city roles in the Roadmap.",
                              ""]),
    "private": dict(expect=[2, 5, 2, 4, 1], familiar=[0, 2, 4, 3, 1],
                    challenge=[2, 5, 2, 3, 2], follow=[1, 2, 1, 1, 5],
                    notes=["Contacts with municipalities ready to pilot reusable packaging.",
                           "What extended producer responsibility will mean for SMEs.", ""]),
    "research": dict(expect=[3, 3, 2, 2, 4], familiar=[0, 0, 1, 4, 4],
                     challenge=[2, 3, 2, 2, 3], follow=[2, 2, 1, 5, 1],
                     notes=["Access to data on material flows in Petaling Jaya.",
                            "Partners for a joint research proposal.", ""]),
    "civil_society": dict(expect=[3, 2, 5, 1, 3], familiar=[0, 1, 3, 4, 2],
                          challenge=[4, 5, 1, 2, 1], follow=[1, 5, 2, 2, 1],
                          notes=["That residents' groups are part of the pilots from the start.",
                                 "Repair cafés as part of the e-waste plan.", ""]),
    "informal": dict(expect=[1, 2, 5, 3, 2], familiar=[3, 4, 2, 1, 0],
                     challenge=[5, 5, 0, 2, 0], follow=[1, 2, 5, 1, 1],
                     notes=["Recognition of waste pickers in the city's collection system.",
                            "Fair prices for recyclables and safer working conditions.",
                            "Information in Bahasa Malaysia, please.", ""]),
}  # fmt: skip


def _choice(rng: random.Random, weights: list[int]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _pre_event_survey(event: Event, organiser, *, now: datetime) -> Survey:
    # 09:00 in Petaling Jaya, ten days ago.
    day = to_local(now, event.timezone).date() - timedelta(days=10)
    opens = localize(datetime.combine(day, time(9, 0)), event.timezone)
    survey = create_survey(event, organiser, SurveyData(
        title="Before the webinar: your expectations",
        introduction=(
            "Help us prepare the consultation on **Designing Circular Cities in "
            "Malaysia**. Five short questions; about three minutes.\n\nYour answers "
            "are shown to the organisers with your name and stakeholder group, and "
            "summarised by group in the consultation report."
        ),
        kind="pre_event", audience="confirmed",
        opens=wall_clock(opens, event.timezone), closes=wall_clock(event.start_at, event.timezone),
        reminder_after_days=12,
    ), now=opens - timedelta(days=1))  # fmt: skip
    questions = [
        QuestionData(kind="multiple_choice", required=True, max_choices=2,
                     text="What do you most expect from this webinar?",
                     options=[OptionEdit(label=x) for x in EXPECTATIONS]),
        QuestionData(kind="likert", required=True, scale_labels=FAMILIARITY,
                     text="How familiar are you with the circular economy?"),
        QuestionData(kind="single_choice", required=True, allow_other=True,
                     text="Which of Petaling Jaya's five challenges is most relevant to you?",
                     options=[OptionEdit(label=x) for x in CHALLENGES]),
        QuestionData(kind="single_choice", required=False,
                     text="Which follow-up format would you prefer?",
                     options=[OptionEdit(label=x) for x in FOLLOW_UPS]),
        QuestionData(kind="long_text", required=False,
                     text="Anything else you hope to take away?"),
    ]  # fmt: skip
    for data in questions:
        add_question(survey, organiser, data, now=opens - timedelta(days=1))
    return survey


def _post_event_survey(event: Event, organiser, *, now: datetime) -> Survey:
    opens = event.end_at
    survey = create_survey(event, organiser, SurveyData(
        title="After the webinar: your feedback",
        introduction=(
            "Thank you for taking part. This feedback is **anonymous**: your "
            "answers are stored without your name, only with your stakeholder group."
        ),
        kind="post_event", audience="attendees", anonymous=True,
        opens=wall_clock(opens, event.timezone), closes=wall_clock(opens + timedelta(days=14), event.timezone),
        reminder_after_days=3,
    ), now=now)  # fmt: skip
    sessions = [s.title for s in event.sessions] or ["The webinar as a whole"]
    questions = [
        QuestionData(kind="rating", required=True,
                     text="How useful was the webinar for your work?",
                     help_text="0 = not useful at all, 10 = extremely useful."),
        QuestionData(kind="single_choice", required=True, allow_other=True,
                     text="What should Petaling Jaya pilot first?",
                     options=[OptionEdit(label=x) for x in PILOTS]),
        QuestionData(kind="likert_matrix", required=False,
                     text="How far do you agree: this session was useful to me.",
                     statements=[OptionEdit(label=t[:300]) for t in sessions]),
        QuestionData(kind="long_text", required=False,
                     text="Any other comments for the organisers?"),
    ]  # fmt: skip
    for data in questions:
        add_question(survey, organiser, data, now=now)
    return survey


def _raw_answers(survey: Survey, type_key: str, rng: random.Random) -> dict:
    profile = PROFILES.get(type_key, PROFILES["civil_society"])
    expect, familiar, challenge, follow, notes = survey.questions
    first = _choice(rng, profile["expect"])
    chosen = {first}
    if rng.random() < 0.6:
        chosen.add(_choice(rng, profile["expect"]))
    raw = {
        f"q{expect.id}": [str(expect.options[i].id) for i in sorted(chosen)],
        f"q{familiar.id}": [str(_choice(rng, profile["familiar"]) + 1)],
    }
    if type_key == "informal" and rng.random() < 0.15:
        raw[f"q{challenge.id}"] = ["other"]
        raw[f"q{challenge.id}_other"] = ["Flooding of drains blocked by plastic waste"]
    else:
        index = _choice(rng, profile["challenge"])
        raw[f"q{challenge.id}"] = [str(challenge.options[index].id)]
    if rng.random() < 0.85:
        index = _choice(rng, profile["follow"])
        raw[f"q{follow.id}"] = [str(follow.options[index].id)]
    note = rng.choice(profile["notes"])
    if note:
        raw[f"q{notes.id}"] = [note]
    return raw


def seed_surveys(event, organiser, *, now) -> int:
    """Add the two demo surveys and the pre-event answers; flushes; returns a count."""
    if db.session.scalar(select(Survey.id).where(Survey.event_id == event.id)):
        return 0
    rng = random.Random(20261215)
    pre = _pre_event_survey(event, organiser, now=now)
    _post_event_survey(event, organiser, now=now)
    people = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id, Registration.status == "confirmed"
            )
            .order_by(Registration.id)
        )
    )
    answered = 0
    for person in people:
        roll = rng.random()
        if roll > 0.72:
            continue  # has not answered yet: on the non-responders list
        start = max(pre.opens_at, person.created_at) + timedelta(hours=2)
        if start >= now:
            continue
        moment = start + (now - start) * rng.random() * 0.9
        raw = _raw_answers(pre, person.stakeholder_type.key, rng)
        if roll > 0.66:
            partial = {k: v for k, v in raw.items() if k.startswith(
                f"q{pre.questions[0].id}")}  # fmt: skip
            save_draft(pre, person, partial, now=moment)
            continue
        submit_response(pre, person, raw, now=moment.replace(microsecond=0))
        answered += 1
    # Many answered from their manage page; the organiser now invites the rest.
    send_invitations(pre, organiser, now=now)
    db.session.flush()
    return answered
