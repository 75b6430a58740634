"""Paper survey sheets: entered with the keyboard for the person whose
registration reference they carry, through the participant's validation;
an anonymous survey's sheet leaves no link between the person and the
answers, in the rows or the export. Service level, then through the pages
(on SQLite and PostgreSQL, like every test using ``app``)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.facilitators.paper.entry import enter_registration_sheet
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.paper.sheets import PrintRequest, issue_sheets, sheet_code
from consult.facilitators.paper.survey_entry import enter_survey_sheet
from consult.surveys.export import responses_sheet
from consult.surveys.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from consult.surveys.services import AnswersInvalid, submit_response
from consult.surveys.services.answering import start_of_day
from tests.effects import committed
from tests.facilitators.conftest import full_answers
from tests.facilitators.test_paper_pages import _become_facilitator, _print, _sheets
from tests.facilitators.test_paper_services import person as person_data
from tests.surveys.conftest import ALL_KINDS


def _registered(event, actor, now, name):
    """A person registered from a paper form; their reference is its code."""
    (form,) = issue_sheets(event, actor, PrintRequest("R", "en", 1), now=now)
    code = sheet_code(form)
    _sheet, result = enter_registration_sheet(
        event, actor, code, person_data(name), now=now
    )
    db.session.commit()
    return result.registration, code


def _survey_sheets(event, actor, survey, now, copies=1):
    sheets = issue_sheets(
        event, actor, PrintRequest("S", "en", copies, survey.id), now=now
    )
    db.session.commit()
    return [sheet_code(s) for s in sheets]


def test_a_named_survey_sheet_is_the_persons_on_paper(
    ch_event, make_facilitator, make_survey, now
):
    user = make_facilitator(ch_event)
    person, reference = _registered(ch_event, user, now, "Aminah Yusof")
    survey = make_survey(ch_event, kinds=ALL_KINDS)
    first, second = _survey_sheets(ch_event, user, survey, now, copies=2)
    # A bad answer saves nothing, and the sheet stays open.
    bad = full_answers(survey)
    bad.pop(f"q{survey.questions[0].id}")
    with pytest.raises(AnswersInvalid) as refused:
        enter_survey_sheet(ch_event, user, first, reference, bad, now=now)
    assert list(refused.value.errors) == [survey.questions[0].id]
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    assert db.session.scalar(select(func.count(SurveyParticipation.id))) == 0
    assert _sheets("S")[0].entered_at is None
    # A wrong reference is said on its field.
    with pytest.raises(ValidationFailed) as wrong:
        enter_survey_sheet(ch_event, user, first, second, full_answers(survey), now=now)
    assert wrong.value.field == "person"
    db.session.rollback()

    sheet, who = enter_survey_sheet(
        ch_event, user, first, reference, full_answers(survey), now=now
    )
    db.session.commit()
    assert who.id == person.id
    response = db.session.scalar(select(SurveyResponse))
    assert (response.registration_id, response.status) == (person.id, "submitted")
    assert (response.facilitated_by_id, response.channel, response.facilitated_at) == (
        user.id,
        "paper",
        now,
    )
    participation = db.session.scalar(select(SurveyParticipation))
    assert (participation.facilitated_by_id, participation.channel) == (
        user.id,
        "paper",
    )
    assert (sheet.registration_id, sheet.entered_by_id, sheet.entered_at) == (
        person.id,
        user.id,
        now,
    )
    # The same sheet typed again, or a second sheet for the same person: refused.
    with pytest.raises(ValidationFailed, match="entered already"):
        enter_survey_sheet(
            ch_event, user, first, reference, full_answers(survey), now=now
        )
    with pytest.raises(ValidationFailed, match="already answered") as twice:
        enter_survey_sheet(
            ch_event, user, second, reference, full_answers(survey), now=now
        )
    assert twice.value.field == "person"
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    assert db.session.get(PaperSheet, _sheets("S")[1].id).entered_at is None


def test_an_anonymous_survey_sheet_leaves_no_link(
    ch_event, make_facilitator, make_survey, now
):
    user = make_facilitator(ch_event)
    people = [
        _registered(ch_event, user, now, f"Person {i}") for i in range(5)
    ]  # export: 5 at least
    survey = make_survey(ch_event, kinds=("likert", "short_text"), anonymous=True)
    codes = _survey_sheets(ch_event, user, survey, now, copies=6)
    for (_person, reference), code in zip(people, codes, strict=False):
        enter_survey_sheet(
            ch_event, user, code, reference, full_answers(survey), now=now
        )
    db.session.commit()
    day = start_of_day(now)
    responses = db.session.scalars(select(SurveyResponse)).all()
    assert len(responses) == 5
    for response in responses:
        assert response.registration_id is None and response.id < 0
        assert (response.facilitated_by_id, response.channel) == (None, None)
        assert response.submitted_at == day
    assert all(a.id < 0 for a in db.session.scalars(select(SurveyAnswer)))
    # The sheets say they were entered, by whom, on which day; not for whom.
    entered = [s for s in _sheets("S") if s.entered_at is not None]
    assert len(entered) == 5
    for sheet in entered:
        assert sheet.registration_id is None
        assert (sheet.entered_by_id, sheet.entered_at) == (user.id, day)
    # No column of a sheet can point at a response.
    columns = {c.name for c in inspect(PaperSheet).columns}
    assert not {c for c in columns if "response" in c or "answer" in c}
    # The participations say who answered, on paper, on which day.
    rows = db.session.scalars(select(SurveyParticipation)).all()
    assert {(p.registration_id, p.channel, p.facilitated_by_id) for p in rows} == {
        (p.id, "paper", user.id) for p, _ in people
    }
    assert {p.facilitated_at for p in rows} == {day}
    # The export names nobody: neither the people nor their references.
    export = responses_sheet(survey)
    text = repr([list(export.header), *[list(r) for r in export.rows]])
    assert len(export.rows) == 5
    for needle in [p.full_name for p, _ in people] + [r for _, r in people]:
        assert needle not in text
    for needle in (user.name, user.email, "paper"):
        assert needle not in text
    # One answer per person: the last sheet for the first person is refused,
    # and so is the person themselves.
    with pytest.raises(ValidationFailed, match="already answered"):
        enter_survey_sheet(
            ch_event, user, codes[5], people[0][1], full_answers(survey), now=now
        )
    db.session.rollback()
    with pytest.raises(Exception, match="already answered"):
        submit_response(survey, people[0][0], full_answers(survey), now=now)


def test_a_survey_sheet_keeps_the_audience_and_the_facilitators_people(
    ch_event, make_facilitator, make_survey, now
):
    user = make_facilitator(ch_event)
    other = make_facilitator(ch_event, email="other@example.org", name="Other")
    person, reference = _registered(ch_event, other, now, "Not Yours")
    survey = make_survey(ch_event, kinds=("likert",))
    (code,) = _survey_sheets(ch_event, user, survey, now)
    with pytest.raises(ValidationFailed, match="not one of the people") as refused:
        enter_survey_sheet(
            ch_event, user, code, reference, full_answers(survey), now=now
        )
    assert refused.value.field == "person"
    db.session.rollback()
    person = db.session.merge(person)
    person.status = "pending"
    db.session.commit()
    with pytest.raises(ValidationFailed, match="not open to this person"):
        enter_survey_sheet(
            ch_event, other, code, reference, full_answers(survey), now=now
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    assert _sheets("S")[0].entered_at is None


# Through the pages -----------------------------------------------------------


def _printed(client, base, kind):
    """Print one sheet through the form; its code (None without a PDF engine)."""
    _print(client, base, kind)
    sheets = _sheets(kind[0])
    return sheet_code(sheets[-1]) if sheets else None


def test_a_facilitator_enters_survey_sheets_with_the_keyboard(
    client, login, organiser, ch_event, make_survey
):
    event = ch_event
    named = make_survey(event, kinds=ALL_KINDS)
    anonymous = make_survey(
        event, kinds=("likert", "short_text"), anonymous=True, title="Anonymous one"
    )
    user = _become_facilitator(client, login, organiser, event)
    base = f"/facilitate/{event.slug}/paper"
    login(user)
    reference = _printed(client, base, "R")
    if reference is None:
        return  # no codes without a printed PDF (test_paper_pages says why)
    saved = client.post(
        f"{base}/enter",
        data={
            "step": "sheet",
            "code": reference,
            "full_name": "Nurul Huda",
            "phone": "012 999 1111",
            "type_key": "informal",
            "country": "MY",
            "consent_privacy": "y",
        },
    )
    assert saved.status_code == 302

    # A named survey's sheet: the code opens a form of its questions in order.
    code = _printed(client, base, f"S{named.id}")
    opened = client.post(f"{base}/enter", data={"step": "code", "code": code})
    page = opened.get_data(True)
    assert opened.status_code == 200 and 'name="person"' in page
    positions = [page.index(f'id="question-{q.id}"') for q in named.questions]
    assert positions == sorted(positions)
    answers = full_answers(named)
    first = named.questions[0]
    data = {"step": "sheet", "code": code, "person": reference}
    bad = client.post(
        f"{base}/enter",
        data={**data, **{k: v for k, v in answers.items() if k != f"q{first.id}"}},
    )
    assert bad.status_code == 422
    assert f'id="q{first.id}-error"' in bad.get_data(True)
    assert committed().scalar(select(func.count(SurveyResponse.id))) == 0
    assert _sheets("S")[0].entered_at is None
    done = client.post(f"{base}/enter", data={**data, **answers})
    assert done.status_code == 302
    response = committed().scalar(select(SurveyResponse))
    person_id = _sheets("R")[0].registration_id
    assert (response.registration_id, response.channel) == (person_id, "paper")
    assert response.facilitated_by_id == user.id
    again = client.post(f"{base}/enter", data={**data, **answers})
    assert again.status_code == 422 and "entered already" in again.get_data(True)
    assert committed().scalar(select(func.count(SurveyResponse.id))) == 1

    # An anonymous survey's sheet: the person counts as having answered;
    # the sheet and the response do not name them.
    code = _printed(client, base, f"S{anonymous.id}")
    data = {"step": "sheet", "code": code, "person": reference}
    done = client.post(f"{base}/enter", data={**data, **full_answers(anonymous)})
    assert done.status_code == 302
    sheet = _sheets("S")[-1]
    assert sheet.entered_at is not None and sheet.registration_id is None
    unlinked = committed().scalar(
        select(SurveyResponse).where(SurveyResponse.survey_id == anonymous.id)
    )
    assert unlinked.registration_id is None and unlinked.facilitated_by_id is None
    participation = committed().scalar(
        select(SurveyParticipation).where(SurveyParticipation.survey_id == anonymous.id)
    )
    assert (participation.registration_id, participation.channel) == (
        person_id,
        "paper",
    )
    listed = client.get(f"{base}/enter").get_data(True).split("entered-sheets")[1]
    row = listed.split(code)[1].split("</tr>")[0]
    assert "Nurul Huda" not in row and "not linked" in row
