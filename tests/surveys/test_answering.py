"""Answering through a personal link: audience, drafts, submission, edits, anonymity."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from consult.errors import Conflict, PermissionDenied
from consult.extensions import db
from consult.registration.services import erase
from consult.surveys.models import (
    SurveyAnswer,
    SurveyDraft,
    SurveyParticipation,
    SurveyResponse,
)
from consult.surveys.services import (
    AnswersInvalid,
    registrant_state,
    save_draft,
    submit_response,
)
from consult.surveys.services.answering import _RANDOM_ID_LOW
from tests.surveys.conftest import full_answers


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_submit_stores_a_linked_response_and_a_participation(
    survey, make_registration, stype, now
):
    person = make_registration(survey.event, type_key="research")
    response = submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()
    assert response.registration_id == person.id
    assert response.stakeholder_type_id == stype(survey.event, "research").id
    assert response.status == "submitted" and response.submitted_at == now
    assert _count(SurveyAnswer) == 1 + 2 + 1 + 1 + 1 + 1 + 1 + 4 + 3
    assert (
        _count(SurveyParticipation, SurveyParticipation.registration_id == person.id)
        == 1
    )
    assert registrant_state(survey, person).status == "submitted"


def test_a_second_submission_is_refused_unless_editing_is_allowed(
    survey, make_registration, now
):
    person = make_registration(survey.event)
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()
    with pytest.raises(Conflict, match="already answered"):
        submit_response(survey, person, full_answers(survey), now=now)
    db.session.rollback()
    assert _count(SurveyResponse) == 1


def test_allow_edit_changes_the_one_response_until_closing(
    make_survey, reg_event, make_registration, now
):
    survey = make_survey(reg_event, kinds=("rating", "short_text"), allow_edit=True)
    person = make_registration(reg_event)
    rating, text = survey.questions
    submit_response(survey, person, {f"q{rating.id}": ["3"], f"q{text.id}": ["a"]},
                    now=now)  # fmt: skip
    submit_response(survey, person, {f"q{rating.id}": ["8"], f"q{text.id}": ["b"]},
                    now=now + timedelta(hours=1))  # fmt: skip
    db.session.commit()
    assert _count(SurveyResponse) == 1 and _count(SurveyParticipation) == 1
    values = {
        (a.number_value, a.text_value) for a in db.session.scalars(select(SurveyAnswer))
    }
    assert values == {(None, "b"), (8.0, None)}
    response = db.session.scalar(select(SurveyResponse))
    assert response.submitted_at == now  # the first submission's time is kept
    with pytest.raises(Conflict, match="closed"):
        submit_response(survey, person, {f"q{rating.id}": ["1"], f"q{text.id}": ["c"]},
                        now=survey.closes_at)  # fmt: skip


def test_draft_then_finish_later(survey, make_registration, now):
    person = make_registration(survey.event)
    raw = full_answers(survey)
    partial = {
        k: v for k, v in raw.items() if k.startswith(f"q{survey.questions[0].id}")
    }
    save_draft(survey, person, partial, now=now)
    db.session.commit()
    state = registrant_state(survey, person)
    assert state.status == "draft" and state.raw == partial
    assert _count(SurveyParticipation) == 0
    with pytest.raises(AnswersInvalid) as info:
        submit_response(survey, person, partial, now=now)
    assert len(info.value.errors) == len(survey.questions) - 1
    db.session.rollback()
    submit_response(survey, person, raw, now=now)
    db.session.commit()
    assert registrant_state(survey, person).status == "submitted"
    with pytest.raises(Conflict):
        save_draft(survey, person, raw, now=now)


def test_invalid_draft_changes_nothing(survey, make_registration, now):
    person = make_registration(survey.event)
    rating = next(q for q in survey.questions if q.kind == "rating")
    with pytest.raises(AnswersInvalid) as info:
        save_draft(survey, person, {f"q{rating.id}": ["12"]}, now=now)
    assert list(info.value.errors) == [rating.id]
    db.session.rollback()
    assert _count(SurveyResponse) == 0


@pytest.mark.parametrize(
    "audience,status,checked_in,type_key,allowed",
    [
        ("confirmed", "confirmed", False, "government", True),
        ("confirmed", "waitlisted", False, "government", False),
        ("confirmed", "cancelled", False, "government", False),
        ("attendees", "confirmed", False, "government", False),
        ("attendees", "confirmed", True, "government", True),
        ("types", "confirmed", False, "research", True),
        ("types", "confirmed", False, "government", False),
    ],
)
def test_audience_rules(make_survey, reg_event, make_registration, stype, now,
                        audience, status, checked_in, type_key, allowed):  # fmt: skip
    settings = {"audience": audience}
    if audience == "types":
        settings["type_ids"] = [stype(reg_event, "research").id]
    survey = make_survey(reg_event, kinds=("likert",), **settings)
    fields = {"checked_in_at": now} if checked_in else {}
    person = make_registration(reg_event, type_key=type_key, status=status, **fields)
    raw = {f"q{survey.questions[0].id}": ["5"]}
    if allowed:
        submit_response(survey, person, raw, now=now)
    else:
        with pytest.raises(PermissionDenied):
            submit_response(survey, person, raw, now=now)


def test_attended_by_import_counts_as_attendee(
    make_survey, reg_event, make_registration, now
):
    survey = make_survey(reg_event, kinds=("likert",), audience="attendees")
    person = make_registration(reg_event, attended=True, attended_minutes=90)
    submit_response(survey, person, {f"q{survey.questions[0].id}": ["2"]}, now=now)


def test_not_open_yet_or_closed(make_survey, reg_event, make_registration, now):
    survey = make_survey(reg_event, kinds=("likert",))
    person = make_registration(reg_event)
    raw = {f"q{survey.questions[0].id}": ["3"]}
    with pytest.raises(Conflict, match="not open yet"):
        submit_response(survey, person, raw, now=survey.opens_at - timedelta(minutes=1))
    with pytest.raises(Conflict, match="closed"):
        save_draft(survey, person, raw, now=survey.closes_at + timedelta(seconds=1))


# ---- anonymity -------------------------------------------------------------------


def test_anonymous_answers_have_no_link_to_the_person(
    make_survey, reg_event, make_registration, stype, now
):
    survey = make_survey(reg_event, anonymous=True)
    people = [make_registration(reg_event, type_key="informal") for _ in range(6)]
    for n, person in enumerate(people):
        moment = now + timedelta(minutes=7 * n)
        save_draft(survey, person, {}, now=moment)
        submit_response(survey, person, full_answers(survey), now=moment)
        db.session.commit()
    responses = list(db.session.scalars(select(SurveyResponse)))
    assert len(responses) == 6
    assert {r.registration_id for r in responses} == {None}
    assert {r.stakeholder_type_id for r in responses} == {
        stype(reg_event, "informal").id
    }
    # Times are kept to the day only, on both sides.
    day = now.replace(hour=0, minute=0, second=0)
    assert {r.submitted_at for r in responses} == {day}
    participations = list(
        db.session.scalars(select(SurveyParticipation).order_by(SurveyParticipation.id))
    )
    assert {p.responded_at for p in participations} == {day}
    assert sorted(p.registration_id for p in participations) == sorted(
        p.id for p in people
    )
    # Participation ids are drawn at random, far above anything the id
    # sequence hands out, so their order says nothing about who answered when
    # (comparing one random order with the submission order would fail by
    # chance once in 720 runs).
    assert all(p.id >= _RANDOM_ID_LOW for p in participations)
    assert len({p.id for p in participations}) == 6
    # No column of a response or an answer refers to registrations, and drafts are gone.
    for model in (SurveyResponse, SurveyAnswer):
        for fk in inspect(model).local_table.foreign_keys:
            if fk.column.table.name == "registrations":
                assert all(getattr(r, fk.parent.name) is None for r in responses)
    assert _count(SurveyDraft) == 0
    assert registrant_state(survey, people[0]).status == "submitted"


def test_anonymous_draft_is_kept_with_the_person_until_submission(
    make_survey, reg_event, make_registration, now
):
    survey = make_survey(reg_event, anonymous=True)
    person = make_registration(reg_event)
    raw = full_answers(survey)
    first = survey.questions[0]
    save_draft(survey, person, {f"q{first.id}": raw[f"q{first.id}"]}, now=now)
    save_draft(survey, person, {f"q{first.id}": raw[f"q{first.id}"]}, now=now)
    db.session.commit()
    assert _count(SurveyDraft) == 1 and _count(SurveyResponse) == 0
    assert registrant_state(survey, person).raw == {f"q{first.id}": raw[f"q{first.id}"]}
    submit_response(survey, person, raw, now=now)
    db.session.commit()
    assert _count(SurveyDraft) == 0 and _count(SurveyResponse) == 1
    with pytest.raises(Conflict, match="already answered"):
        submit_response(survey, person, raw, now=now)
    db.session.rollback()
    assert _count(SurveyResponse) == 1


# ---- through HTTP ----------------------------------------------------------------


def test_personal_link_draft_then_submit(client, survey, make_registration, link, now):
    person = make_registration(survey.event)
    url = link(survey, person)
    page = client.get(url)
    assert page.status_code == 200
    assert "what you expect" in page.text and "<strong>" in page.text  # Markdown
    assert "Save draft" in page.text
    first = survey.questions[0]
    saved = client.post(url, data={"action": "draft", f"q{first.id}": "other",
                                   f"q{first.id}_other": "Textiles"})  # fmt: skip
    assert saved.status_code == 302
    page = client.get(url)
    assert 'value="Textiles"' in page.text and "Your draft is saved" in page.text
    done = client.post(url, data={"action": "submit", **full_answers(survey)})
    assert done.status_code == 302
    page = client.get(url)
    assert "You submitted your answers" in page.text
    assert "Submit my answers" not in page.text  # editing is not allowed


def test_errors_are_shown_next_to_each_question_and_input_kept(
    client, survey, make_registration, link
):
    person = make_registration(survey.event)
    rating = next(q for q in survey.questions if q.kind == "rating")
    short = next(q for q in survey.questions if q.kind == "short_text")
    page = client.post(link(survey, person), data={
        "action": "submit", f"q{rating.id}": "5", f"q{short.id}": "Kept words"})  # fmt: skip
    assert page.status_code == 422
    assert f'id="q{rating.id}-error"' not in page.text
    assert f'id="q{short.id}-error"' not in page.text
    other = survey.questions[0]
    assert f'id="q{other.id}-error"' in page.text
    assert 'value="Kept words"' in page.text
    assert _count(SurveyResponse) == 0


def test_links_are_personal_and_revocable(
    client, survey, make_survey, make_registration, link, now
):
    alice = make_registration(survey.event)
    token = link(survey, alice).rsplit("/", 1)[1]
    other_survey = make_survey(survey.event, kinds=("likert",), title="Other")
    slug = survey.event.slug
    # A token for one survey does not open another, nor survive tampering.
    assert (
        client.get(f"/events/{slug}/surveys/{other_survey.id}/{token}").status_code
        == 404
    )
    assert client.get(f"/events/{slug}/surveys/{survey.id}/{token}x").status_code == 404
    assert (
        client.get(f"/events/other-slug/surveys/{survey.id}/{token}").status_code == 404
    )
    erase(alice, now=now)
    db.session.commit()
    assert (
        client.get(link(survey, alice).rsplit("/", 1)[0] + "/" + token).status_code
        == 404
    )


def test_someone_outside_the_audience_sees_why(
    client, make_survey, reg_event, make_registration, link
):
    survey = make_survey(reg_event, kinds=("likert",), audience="attendees")
    person = make_registration(reg_event)
    page = client.get(link(survey, person))
    assert page.status_code == 403
    assert "not open to you" in page.text
    posted = client.post(link(survey, person), data={"action": "submit"})
    assert posted.status_code == 403
    assert _count(SurveyResponse) == 0


def test_manage_page_lists_the_survey_with_its_state(
    client, survey, make_registration, now
):
    from consult.registration.services import manage_token

    person = make_registration(survey.event)
    url = f"/events/{survey.event.slug}/registration/{manage_token(person)}"
    page = client.get(url)
    assert "Before the webinar" in page.text and "Not started" in page.text
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()
    assert "Submitted" in client.get(url).text


def test_the_summary_links_every_question_with_a_problem(
    client, survey, make_registration, link
):
    person = make_registration(survey.event)
    answers = full_answers(survey)
    rating = next(q for q in survey.questions if q.kind == "rating")
    number = next(q for q in survey.questions if q.kind == "number")
    first = survey.questions[0]
    answers[f"q{rating.id}"] = ["99"]
    answers[f"q{number.id}"] = ["lots"]
    answers.pop(f"q{first.id}")
    page = client.post(link(survey, person), data={"action": "submit", **answers})
    assert page.status_code == 422
    summary = page.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There are 3 problems with this form" in summary
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert set(targets) == {f"q{q.id}-group" for q in (first, rating, number)}
    for question in (first, rating, number):
        assert f'id="q{question.id}-group" tabindex="-1"' in page.text
    assert _count(SurveyResponse) == 0
