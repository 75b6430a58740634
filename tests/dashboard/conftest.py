"""Fixtures for the dashboard tests: an event with data in every area.

- ``dash_event``: the shared ``reg_event`` with three
  challenges, confirmed registrants of several types, inputs, priorities and a
  survey with responses, built through the models (fast, deterministic);
- ``bulk_registrations(event, n, ...)``: n confirmed registrations inserted in
  one statement, each with a ballot, an input every tenth and a survey
  response every fifth (for the query-count tests);
- ``count_statements()``: a context manager counting SQL statements;
- ``require_pdf()``: skip (locally) or fail (CI=true) when WeasyPrint is unusable;
- ``require_fonts(*families)``: the same when a font family is not installed;
- ``fetch_report_pdf(client, event, language)``: the report's PDF as an
  organiser gets it (asked for, printed by the scheduler's job, downloaded).
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select

from consult.challenges.models import Challenge, Input, InputSupport, Priority
from consult.dashboard.jobs import prepare_exports_job
from consult.dashboard.services.pdf import pdf_available
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from consult.timeutil import now_utc
from tests.conftest import IN_CI
from tests.factories import SERVER_NAMED

CHALLENGES = (
    ("Food and organic waste", "food_organic"),
    ("Plastic pollution and packaging", "plastics_packaging"),
    ("Household e-waste", "e_waste"),
)
PAYLOAD = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


def fetch_report_pdf(client, event, language: str | None = None):
    """GET report.pdf; when it offers to prepare the file, ask, run the job, GET again."""
    query = f"?lang={language}" if language else ""
    url = f"/manage/events/{event.slug}/report.pdf{query}"
    offer = client.get(url)
    if offer.status_code != 200 or offer.mimetype == "application/pdf":
        return offer
    chosen = re.search(r'name="lang"[^>]*value="([^"]*)"', offer.get_data(as_text=True))
    prepared = client.post(
        f"/manage/events/{event.slug}/files/report_pdf", data={"lang": chosen[1]}
    )
    assert prepared.status_code == 302, prepared.get_data(as_text=True)
    prepare_exports_job(now=now_utc())
    return client.get(url)


def require_pdf() -> None:
    problem = pdf_available()
    if problem:
        if IN_CI:
            pytest.fail(f"{problem}; CI must be able to make PDFs")
        pytest.skip(f"{problem}; PDF tests skipped")


def require_fonts(*families: str) -> None:
    """WeasyPrint and these font families (fontconfig names) must be installed."""
    require_pdf()
    fc_list = shutil.which("fc-list")
    installed = ""
    if fc_list:
        found = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, check=False
        )
        installed = found.stdout
    names = {
        name.strip() for line in installed.splitlines() for name in line.split(",")
    }
    missing = [family for family in families if family not in names]
    if missing:
        problem = (
            f"fonts not installed: {', '.join(missing)} "
            "(Debian: fonts-noto-core, fonts-noto-cjk)"
        )
        if IN_CI:
            pytest.fail(f"{problem}; CI must print the report in every language")
        pytest.skip(f"{problem}; multilingual PDF tests skipped")


@pytest.fixture
def count_statements():
    @contextmanager
    def _count():
        statements: list[str] = []

        def _record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", _record)
        try:
            yield statements
        finally:
            sa_event.remove(engine, "before_cursor_execute", _record)

    return _count


def types_of(event) -> dict[str, StakeholderType]:
    rows = db.session.scalars(
        select(StakeholderType).where(StakeholderType.event_id == event.id)
    )
    return {t.key: t for t in rows}


def add_challenges(event) -> list[Challenge]:
    challenges = [
        Challenge(event_id=event.id, position=i, title=title, category=category)
        for i, (title, category) in enumerate(CHALLENGES)
    ]
    db.session.add_all(challenges)
    db.session.flush()
    return challenges


def add_survey(event, now) -> tuple[Survey, SurveyQuestion, list[SurveyOption]]:
    survey = Survey(
        event_id=event.id,
        title="Before the webinar",
        kind="pre_event",
        audience="confirmed",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=3),
    )
    db.session.add(survey)
    db.session.flush()
    question = SurveyQuestion(
        survey_id=survey.id, position=0, kind="single_choice", text="Your focus?"
    )
    rating = SurveyQuestion(
        survey_id=survey.id, position=1, kind="rating", text="How useful so far?"
    )
    db.session.add_all([question, rating])
    db.session.flush()
    options = [
        SurveyOption(question_id=question.id, position=i, label=label)
        for i, label in enumerate(("Food waste", "Packaging"))
    ]
    db.session.add_all(options)
    db.session.flush()
    return survey, question, options


@pytest.fixture
def dash_event(reg_event, make_registration, now):
    """The event with challenges, 12 registrants, inputs, ballots and a survey."""
    event = reg_event
    challenges = add_challenges(event)
    people = []
    for i, key in enumerate(
        ["government"] * 5 + ["private"] * 4 + ["research"] * 2 + ["civil_society"]
    ):
        people.append(
            make_registration(
                event,
                type_key=key,
                full_name=f"Participant {i}",
                organisation=f"Org {i % 6}",
                country="MY" if i % 3 else "NL",
                city="Petaling Jaya" if i % 3 else "Utrecht",
                consent_listing=i % 2 == 0,
                created_at=now - timedelta(days=i % 4),
            )
        )
    make_registration(event, type_key="informal", status="waitlisted")
    make_registration(event, type_key="private", status="pending")
    for person in people:
        for j, challenge in enumerate(challenges):
            points = (6, 3, 1)[(j + people.index(person)) % 3]
            db.session.add(
                Priority(
                    event_id=event.id,
                    registration_id=person.id,
                    challenge_id=challenge.id,
                    points=points,
                    updated_at=now,
                )
            )
    inputs = []
    for i, challenge in enumerate(challenges):
        for kind in ("solution_idea", "best_practice"):
            inputs.append(
                Input(
                    event_id=event.id,
                    challenge_id=challenge.id,
                    registration_id=people[i].id,
                    kind=kind,
                    state="published",
                    title=f"{kind} for {challenge.title}",
                    body="Compost **together**.",
                    consent_named=i == 0,
                    selected_for_plan=kind == "solution_idea" and i < 2,
                    published_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
    db.session.add_all(inputs)
    db.session.flush()
    for person in people[:4]:
        db.session.add(InputSupport(input_id=inputs[0].id, registration_id=person.id))
    survey, question, options = add_survey(event, now)
    for i, person in enumerate(people[:8]):
        response = SurveyResponse(
            survey_id=survey.id,
            registration_id=person.id,
            stakeholder_type_id=person.stakeholder_type_id,
            status="submitted",
            submitted_at=now,
        )
        db.session.add(response)
        db.session.flush()
        db.session.add(
            SurveyAnswer(
                response_id=response.id,
                question_id=question.id,
                option_id=options[i % 2].id,
            )
        )
        db.session.add(
            SurveyParticipation(
                survey_id=survey.id, registration_id=person.id, responded_at=now
            )
        )
    db.session.commit()
    event.test_people = people
    event.test_inputs = inputs
    event.test_survey = survey
    return event


@pytest.fixture
def bulk_registrations(now):
    """bulk_registrations(event, n): n confirmed registrants with ballots,
    inputs (one in ten) and survey responses (one in five), in bulk."""

    def _bulk(event, n: int, *, start: int = 0) -> None:
        types = list(types_of(event).values())
        challenges = list(
            db.session.scalars(select(Challenge).where(Challenge.event_id == event.id))
        )
        survey = db.session.scalar(select(Survey).where(Survey.event_id == event.id))
        question = survey.questions[0]
        options = question.options
        base = dict(
            event_id=event.id,
            status="confirmed",
            privacy_notice_version=event.privacy_notice_version,
            privacy_consented_at=now,
            updated_at=now,
            timezone="UTC",
            confirmed_at=now,
        )
        rows = [
            dict(
                base,
                stakeholder_type_id=types[i % len(types)].id,
                full_name=f"Bulk {i}",
                email=f"bulk{i}@example.org",
                organisation=f"Company {i % 50}",
                country=("MY", "NL", "FR", "DE")[i % 4],
                city=f"City {i % 30}",
                manage_nonce=secrets.token_hex(16),
                created_at=now - timedelta(hours=i % 500),
                consent_listing=i % 3 == 0,
                attended=i % 2 == 0,
            )
            for i in range(start, start + n)
        ]
        before = db.session.scalar(select(func.max(Registration.id))) or 0
        db.session.execute(insert(Registration), rows)
        ids = list(
            db.session.scalars(
                select(Registration.id)
                .where(Registration.event_id == event.id, Registration.id > before)
                .order_by(Registration.id)
            )
        )
        db.session.execute(
            insert(Priority),
            [
                dict(
                    event_id=event.id,
                    registration_id=rid,
                    challenge_id=c.id,
                    points=(5, 3, 2)[k % 3],
                    updated_at=now,
                )
                for rid in ids
                for k, c in enumerate(challenges)
            ],
        )
        db.session.execute(
            insert(Input),
            [
                dict(
                    event_id=event.id,
                    challenge_id=challenges[k % len(challenges)].id,
                    registration_id=rid,
                    kind="solution_idea",
                    state="published",
                    title=f"Idea {rid}",
                    body="",
                    created_at=now,
                    updated_at=now,
                    published_at=now,
                )
                for k, rid in enumerate(ids[::10])
            ],
        )
        db.session.execute(
            insert(SurveyResponse),
            [
                dict(
                    survey_id=survey.id,
                    registration_id=rid,
                    status="submitted",
                    submitted_at=now,
                )
                for rid in ids[::5]
            ],
        )
        responses = list(
            db.session.scalars(
                select(SurveyResponse.id).where(
                    SurveyResponse.survey_id == survey.id,
                    SurveyResponse.registration_id > before,
                )
            )
        )
        db.session.execute(
            insert(SurveyAnswer),
            [
                dict(
                    response_id=resp,
                    question_id=question.id,
                    option_id=options[k % 2].id,
                )
                for k, resp in enumerate(responses)
            ],
        )
        event.capacity = None  # the bulk rows are over any capacity
        event.confirmed_count = (event.confirmed_count or 0) + n
        db.session.commit()

    return _bulk


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
