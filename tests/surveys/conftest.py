"""Fixtures for the survey tests.

Uses the shared fixtures of tests/conftest.py (``reg_event``, ``make_reg_event``,
``make_registration``, ``stype``; the app has SERVER_NAME for email links) and adds:

- ``make_survey(event, *, kinds=ALL_KINDS, **settings)``: a committed survey
  (open from a day before ``now`` until ten days after the real clock, so
  services given ``now`` and pages reading the clock both find it open;
  audience 'confirmed')
  with one question per kind in ``kinds``;
- ``survey``: that survey on ``reg_event`` with one question of each of the
  nine kinds;
- ``full_answers(survey)``: raw form values answering every question validly;
- ``link(survey, registration)``: the path of a personal survey link.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.extensions import db
from consult.surveys.models import QUESTION_KINDS
from consult.surveys.services import (
    OptionEdit,
    QuestionData,
    SurveyData,
    add_question,
    create_survey,
    survey_token,
)
from consult.timeutil import now_utc, to_local
from tests.factories import SERVER_NAMED

ALL_KINDS = QUESTION_KINDS
CHALLENGES = [
    "Food and organic waste",
    "Plastic pollution and packaging",
    "Construction material flow and design",
    "Household e-waste",
    "Lack of digital sharing tools",
]


def question_data(kind: str, **overrides) -> QuestionData:
    """A valid question of the given kind."""
    values = dict(kind=kind, text=f"Question about {kind}", required=True)
    if kind in ("single_choice", "multiple_choice", "ranking"):
        values["options"] = [OptionEdit(label=label) for label in CHALLENGES[:4]]
    if kind == "single_choice":
        values["allow_other"] = True
    if kind == "multiple_choice":
        values.update(min_choices=1, max_choices=2)
    if kind == "number":
        values.update(min_value=0, max_value=100)
    if kind == "likert_matrix":
        values["statements"] = [
            OptionEdit(label="The opening session was useful"),
            OptionEdit(label="The breakout groups were useful"),
            OptionEdit(label="The closing panel was useful"),
        ]
    values.update(overrides)
    return QuestionData(**values)


def wall(moment, event):
    return to_local(moment, event.timezone).replace(tzinfo=None)


@pytest.fixture
def make_survey(app, organiser, now):
    def _make(event, *, kinds=ALL_KINDS, owner=None, **settings):
        actor = owner or organiser
        values = dict(
            title="Before the webinar",
            introduction="Tell us **what you expect**.",
            kind="pre_event",
            audience="confirmed",
            # Open around the fixed `now` of the services and the real clock
            # that the pages read, whenever the suite runs.
            opens=wall(min(now, now_utc()) - timedelta(days=1), event),
            closes=wall(max(now, now_utc()) + timedelta(days=10), event),
        )
        values.update(settings)
        survey = create_survey(event, actor, SurveyData(**values), now=now)
        for kind in kinds:
            add_question(survey, actor, question_data(kind), now=now)
        db.session.commit()
        return survey

    return _make


@pytest.fixture
def survey(make_survey, reg_event):
    return make_survey(reg_event)


def full_answers(survey) -> dict[str, list[str]]:
    """Raw form values that answer every question of the survey validly."""
    raw: dict[str, list[str]] = {}
    for q in survey.questions:
        key = f"q{q.id}"
        if q.kind == "single_choice":
            raw[key] = [str(q.options[1].id)]
        elif q.kind == "multiple_choice":
            raw[key] = [str(q.options[0].id), str(q.options[2].id)]
        elif q.kind == "likert":
            raw[key] = ["4"]
        elif q.kind == "rating":
            raw[key] = ["9"]
        elif q.kind == "number":
            raw[key] = ["42"]
        elif q.kind == "short_text":
            raw[key] = ["Reuse"]
        elif q.kind == "long_text":
            raw[key] = ["Deposit schemes for\nbeverage packaging."]
        elif q.kind == "ranking":
            for rank, option in enumerate(reversed(q.options), start=1):
                raw[f"{key}_o{option.id}"] = [str(rank)]
        elif q.kind == "likert_matrix":
            for n, statement in enumerate(q.statements, start=3):
                raw[f"{key}_s{statement.id}"] = [str(n)]
    return raw


@pytest.fixture
def link():
    def _link(survey, registration) -> str:
        token = survey_token(survey, registration)
        return f"/events/{survey.event.slug}/surveys/{survey.id}/{token}"

    return _link


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED


def invite_and_deliver(survey, organiser, *, now):
    """Send the survey's invitations at ``now`` and deliver them then: the link
    has reached people, and their survey reminders count from that moment."""
    from consult.notifications.services import deliver_outbox
    from consult.surveys.services import send_invitations

    report = send_invitations(survey, organiser, now=now)
    db.session.commit()
    deliver_outbox(now=now)
    return report
