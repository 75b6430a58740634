"""The organiser's builder: settings, questions, order, locking once responses exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.surveys.models import Survey, SurveyOption, SurveyQuestion
from consult.surveys.services import (
    OptionEdit,
    SurveyData,
    add_question,
    create_survey,
    delete_question,
    delete_survey,
    move_question,
    submit_response,
    update_question,
    update_survey,
)
from tests.clock import field, utc, wall
from tests.surveys.conftest import full_answers, question_data


def _data(**overrides) -> SurveyData:
    values = dict(title="Feedback", kind="post_event", audience="confirmed")
    values.update(overrides)
    return SurveyData(**values)


def test_times_are_read_in_the_event_zone(reg_event, organiser, now):
    survey = create_survey(
        reg_event,
        organiser,
        _data(opens=wall(21, 18), closes=wall(28, 18)),
        now=now,
    )
    # 18:00 in Kuala Lumpur (UTC+8) is 10:00 UTC.
    assert survey.opens_at.hour == 10 and survey.opens_at.tzinfo is not None
    assert survey.closes_at == utc(28, 10)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"title": " "}, "title"),
        ({"kind": "weekly"}, "kind"),
        ({"audience": "everyone"}, "audience"),
        ({"opens": wall(8, 0), "closes": wall(7, 0)}, "closes"),
        ({"closes": wall(7, 0)}, "opens"),
        ({"anonymous": True, "allow_edit": True}, "allow_edit"),
        ({"reminder_after_days": 0}, "reminder_after_days"),
        ({"audience": "public", "reminder_after_days": 3}, "reminder_after_days"),
        ({"audience": "types", "type_ids": []}, "type_ids"),
    ],
)
def test_settings_refused_with_the_field_named(reg_event, organiser, now, overrides,
                                               field):  # fmt: skip
    with pytest.raises(ValidationFailed) as info:
        create_survey(reg_event, organiser, _data(**overrides), now=now)
    assert info.value.field == field


def test_audience_types_must_belong_to_the_event(
    reg_event, make_reg_event, organiser, stype, now
):
    other = make_reg_event(title="Another event")
    foreign = stype(other, "government").id
    with pytest.raises(ValidationFailed):
        create_survey(
            reg_event, organiser, _data(audience="types", type_ids=[foreign]), now=now
        )
    own = stype(reg_event, "research").id
    survey = create_survey(
        reg_event, organiser, _data(audience="types", type_ids=[own]), now=now
    )
    assert [t.key for t in survey.audience_types] == ["research"]


def test_public_surveys_get_a_token_and_lose_it_when_no_longer_public(
    reg_event, organiser, now
):
    survey = create_survey(reg_event, organiser, _data(audience="public"), now=now)
    assert survey.public_token and len(survey.public_token) >= 20
    update_survey(survey, organiser, _data(audience="confirmed"), now=now)
    assert survey.public_token is None


def test_another_organiser_cannot_build(reg_event, other_organiser, now, survey):
    with pytest.raises(PermissionDenied):
        create_survey(reg_event, other_organiser, _data(), now=now)
    with pytest.raises(PermissionDenied):
        add_question(survey, other_organiser, question_data("likert"), now=now)


def test_choice_questions_need_two_distinct_options(survey, organiser, now):
    with pytest.raises(ValidationFailed) as info:
        add_question(
            survey,
            organiser,
            question_data("single_choice", options=[OptionEdit(label="Only")]),
            now=now,
        )
    assert info.value.field == "new_options"
    with pytest.raises(ValidationFailed, match="twice"):
        add_question(
            survey,
            organiser,
            question_data(
                "ranking", options=[OptionEdit(label="A"), OptionEdit(label="a")]
            ),
            now=now,
        )


def test_changing_kind_before_responses_drops_unfitting_options(survey, organiser, now):
    question = next(q for q in survey.questions if q.kind == "single_choice")
    update_question(question, organiser, question_data("likert"), now=now)
    db.session.commit()
    assert question.kind == "likert" and question.all_options == []
    assert question.allow_other is False


def test_move_up_and_down_swaps_neighbours(survey, organiser, now):
    first, second = survey.questions[0], survey.questions[1]
    move_question(second, organiser, "up", now=now)
    db.session.commit()
    assert [q.id for q in survey.questions[:2]] == [second.id, first.id]
    move_question(second, organiser, "up", now=now)  # already first: no change
    move_question(first, organiser, "down", now=now)
    db.session.commit()
    assert survey.questions[2].id == first.id


def _lock(survey, make_registration, now):
    person = make_registration(survey.event)
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()


def test_after_a_response_questions_cannot_be_deleted_or_change_type(
    survey, organiser, make_registration, now
):
    _lock(survey, make_registration, now)
    question = survey.questions[0]
    with pytest.raises(ValidationFailed, match="already has responses"):
        delete_question(question, organiser, now=now)
    with pytest.raises(ValidationFailed) as info:
        update_question(question, organiser, question_data("likert"), now=now)
    assert info.value.field == "kind"
    with pytest.raises(ValidationFailed, match="has responses"):
        delete_survey(survey, organiser, now=now)
    with pytest.raises(ValidationFailed) as info:
        update_survey(
            survey,
            organiser,
            _data(kind="pre_event", anonymous=True),
            now=now,
        )
    assert info.value.field == "anonymous"


def test_after_a_response_options_can_be_corrected_and_added_not_removed(
    survey, organiser, make_registration, now
):
    _lock(survey, make_registration, now)
    question = next(q for q in survey.questions if q.kind == "single_choice")
    rows = [OptionEdit(label=o.label, id=o.id) for o in question.options]
    corrected = [OptionEdit(label="Food and organic waste (incl. markets)", id=rows[0].id),
                 *rows[1:], OptionEdit(label="Textiles")]  # fmt: skip
    update_question(
        question,
        organiser,
        question_data("single_choice", options=corrected, text="Corrected text"),
        now=now,
    )
    db.session.commit()
    assert question.text == "Corrected text"
    assert question.options[0].label.endswith("(incl. markets)")
    assert question.options[-1].label == "Textiles"
    removing = [OptionEdit(label=r.label, id=r.id, remove=(i == 1))
                for i, r in enumerate(rows)]  # fmt: skip
    with pytest.raises(ValidationFailed) as info:
        update_question(
            question, organiser, question_data("single_choice", options=removing),
            now=now,
        )  # fmt: skip
    assert "cannot be removed" in info.value.message
    with pytest.raises(ValidationFailed):
        update_question(
            question,
            organiser,
            question_data("single_choice", options=rows, allow_other=False),
            now=now,
        )
    # A new question may still be added.
    add_question(survey, organiser, question_data("short_text"), now=now)
    db.session.commit()


def test_delete_question_and_survey_before_responses(survey, organiser, now):
    question = survey.questions[0]
    delete_question(question, organiser, now=now)
    db.session.commit()
    assert db.session.get(SurveyQuestion, question.id) is None
    delete_survey(survey, organiser, now=now)
    db.session.commit()
    assert db.session.scalar(select(Survey.id)) is None
    assert db.session.scalar(select(SurveyOption.id)) is None


# ---- through HTTP --------------------------------------------------------------


def test_list_needs_login_and_the_right_organiser(
    client, login, reg_event, other_organiser, organiser, survey
):
    url = f"/manage/events/{reg_event.slug}/surveys"
    assert client.get(url).status_code == 302  # to the login page
    login(other_organiser)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/{survey.id}").status_code == 403
    login(organiser)
    page = client.get(url)
    assert page.status_code == 200
    assert "Before the webinar" in page.text


def test_survey_of_another_event_is_not_found(
    client, login, organiser, make_reg_event, survey
):
    other = make_reg_event(title="Second event")
    login(organiser)
    assert (
        client.get(f"/manage/events/{other.slug}/surveys/{survey.id}").status_code
        == 404
    )


def test_create_survey_and_question_through_the_pages(
    client, login, organiser, reg_event, stype
):
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/surveys"
    assert "No surveys yet" in client.get(base).text
    research = stype(reg_event, "research").id
    created = client.post(
        f"{base}/new",
        data={
            "title": "Expectations",
            "introduction": "Hello",
            "kind": "pre_event",
            "audience": "types",
            "type_ids": [str(research)],
            "opens": field(wall(7, 9)),
            "closes": field(wall(20, 18)),
            "reminder_after_days": "3",
        },
    )
    assert created.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.reminder_after_days == 3
    assert [t.id for t in survey.audience_types] == [research]
    added = client.post(
        f"{base}/{survey.id}/questions/new",
        data={
            "kind": "ranking",
            "text": "Rank the challenges",
            "required": "y",
            "new_options": "Food waste\nPlastics\n\nE-waste\n",
            "scale_labels-0": "a", "scale_labels-1": "b", "scale_labels-2": "c",
            "scale_labels-3": "d", "scale_labels-4": "e",
        },
    )  # fmt: skip
    assert added.status_code == 302
    db.session.expire_all()
    question = survey.questions[0]
    assert [o.label for o in question.options] == ["Food waste", "Plastics", "E-waste"]
    page = client.get(f"{base}/{survey.id}")
    assert "Rank the challenges" in page.text
    preview = client.get(f"{base}/{survey.id}/preview")
    assert "Rank for Plastics" in preview.text


def test_bad_settings_are_shown_next_to_the_field_and_keep_input(
    client, login, organiser, reg_event
):
    login(organiser)
    page = client.post(
        f"/manage/events/{reg_event.slug}/surveys/new",
        data={
            "title": "Kept title",
            "kind": "pre_event",
            "audience": "confirmed",
            "anonymous": "y",
            "allow_edit": "y",
        },
    )
    assert page.status_code == 422
    assert "Kept title" in page.text
    assert 'id="allow_edit-error"' in page.text
    assert db.session.scalar(select(Survey.id)) is None


def test_locked_question_edit_shows_the_reason(
    client, login, organiser, survey, make_registration, now
):
    _lock(survey, make_registration, now)
    login(organiser)
    base = f"/manage/events/{survey.event.slug}/surveys/{survey.id}"
    question = survey.questions[0]
    deleted = client.post(f"{base}/questions/{question.id}/delete",
                          data={"fingerprint": "1-0-0"},
                          follow_redirects=True)  # fmt: skip
    assert "already has responses" in deleted.text
    shown = client.get(f"{base}/questions/{question.id}/delete")
    assert "nothing of it can be deleted" in shown.text
    assert db.session.get(SurveyQuestion, question.id) is not None
    page = client.get(base)
    assert "This survey has responses" in page.text


def test_preview_checks_answers_and_stores_nothing(client, login, organiser, survey):
    from consult.surveys.models import SurveyResponse

    login(organiser)
    url = f"/manage/events/{survey.event.slug}/surveys/{survey.id}/preview"
    refused = client.post(url, data={})
    assert "Please answer this question." in refused.text
    accepted = client.post(url, data=full_answers(survey))
    assert "would be accepted" in accepted.text
    assert db.session.scalar(select(SurveyResponse.id)) is None
