"""Double submits at the same moment: a CSV import confirmed three times at
once imports once; a paper sheet entered three times at once makes one
registration; two survey sheets of one person at once make one answer. Threads with their own sessions (tests/registration/
test_concurrency.py), on PostgreSQL and SQLite."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.auth.models import User
from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.paper.entry import enter_registration_sheet
from consult.facilitators.paper.imports import (
    confirm_import,
    preview_import,
    template_header,
)
from consult.facilitators.paper.sheets import PrintRequest, issue_sheets, sheet_code
from consult.facilitators.paper.survey_entry import enter_survey_sheet
from consult.registration.models import Registration
from consult.registration.services.validation import RegistrationData
from consult.surveys.models import SurveyParticipation, SurveyResponse
from tests.facilitators.conftest import full_answers
from tests.registration.test_concurrency import run_together


def _count_people() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Registration.id)))


def test_three_confirms_at_once_import_once(app, ch_event, make_facilitator, now):
    user = make_facilitator(ch_event)
    header = ",".join(template_header(ch_event))
    content = (
        header + "\n,Aminah,012 345 6701,,informal,MY,yes,no,no,no,,,\n"
        ",Badrul,012 345 6702,,informal,MY,yes,no,no,no,,,\n"
    ).encode()
    preview = preview_import(ch_event, user, content, "a.csv", language="en", now=now)
    db.session.commit()
    event_id, user_id, token = ch_event.id, user.id, preview.token

    def confirming():
        event = db.session.get(Event, event_id)
        actor = db.session.get(User, user_id)
        return confirm_import(event, actor, token, language="en", now=now)[1]

    results, errors = run_together(app, [confirming] * 3)
    assert not errors
    assert sorted(results) == [False, False, True]
    assert _count_people() == 2


def test_one_sheet_entered_three_times_at_once_registers_once(
    app, ch_event, make_facilitator, now
):
    user = make_facilitator(ch_event)
    (sheet,) = issue_sheets(ch_event, user, PrintRequest("R", "en", 1), now=now)
    code = sheet_code(sheet)
    db.session.commit()
    event_id, user_id = ch_event.id, user.id

    def entering(name):
        def job():
            event = db.session.get(Event, event_id)
            actor = db.session.get(User, user_id)
            data = RegistrationData(
                full_name=name,
                type_key="informal",
                country="MY",
                timezone="Asia/Kuala_Lumpur",
                consent_privacy=True,
            )
            return enter_registration_sheet(event, actor, code, data, now=now)

        return job

    results, errors = run_together(app, [entering(n) for n in ("A", "B", "C")])
    assert len(results) == 1
    assert len(errors) == 2
    assert all(isinstance(e, ValidationFailed) for e in errors)
    assert all("entered already" in e.message for e in errors)
    assert _count_people() == 1


def test_two_survey_sheets_of_one_person_at_once_answer_once(
    app, ch_event, make_facilitator, make_survey, now
):
    user = make_facilitator(ch_event)
    (form,) = issue_sheets(ch_event, user, PrintRequest("R", "en", 1), now=now)
    reference = sheet_code(form)
    data = RegistrationData(
        full_name="Aminah",
        type_key="informal",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        consent_privacy=True,
    )
    enter_registration_sheet(ch_event, user, reference, data, now=now)
    db.session.commit()
    # An editable named survey: only the lock keeps a second sheet out.
    survey = make_survey(ch_event, kinds=("likert", "short_text"), allow_edit=True)
    sheets = issue_sheets(
        ch_event, user, PrintRequest("S", "en", 2, survey.id), now=now
    )
    codes = [sheet_code(s) for s in sheets]
    raw = full_answers(survey)
    db.session.commit()
    event_id, user_id = ch_event.id, user.id

    def entering(code):
        def job():
            event = db.session.get(Event, event_id)
            actor = db.session.get(User, user_id)
            return enter_survey_sheet(event, actor, code, reference, raw, now=now)

        return job

    results, errors = run_together(app, [entering(c) for c in codes])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationFailed)
    assert "already answered" in errors[0].message
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    assert db.session.scalar(select(func.count(SurveyParticipation.id))) == 1
