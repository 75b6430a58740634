"""Done means: a participant completes both demo surveys through their personal
links, without a password: the pre-event survey now, the post-event feedback
once the webinar is over (the clock travels there) and they attended."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from consult.demo import seed_demo
from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import (
    Survey,
    SurveyParticipation,
    SurveyResponse,
)
from consult.surveys.services.tokens import survey_token


def _form(survey) -> dict[str, str | list[str]]:
    """A valid answer to every question of the survey, as the browser posts it."""
    data: dict[str, str | list[str]] = {"action": "submit"}
    for q in survey.questions:
        key = f"q{q.id}"
        if q.kind == "single_choice":
            data[key] = str(q.options[0].id)
        elif q.kind == "multiple_choice":
            data[key] = [str(q.options[0].id)]
        elif q.kind == "likert":
            data[key] = "4"
        elif q.kind == "rating":
            data[key] = "8"
        elif q.kind == "long_text":
            data[key] = "Start with <b>deposit</b> schemes."
        elif q.kind == "likert_matrix":
            for statement in q.statements:
                data[f"{key}_s{statement.id}"] = "5"
        else:
            raise AssertionError(f"the demo has no {q.kind} question")
    return data


def _submitted(survey) -> int:
    return db.session.scalar(
        select(func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.status == "submitted",
        )
    )


def test_a_participant_completes_both_demo_surveys_without_a_password(app, client, now):
    event = seed_demo(now=now).event
    db.session.commit()
    pre, post = db.session.scalars(
        select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)
    ).all()
    assert (pre.kind, post.kind) == ("pre_event", "post_event")
    answered = select(SurveyParticipation.registration_id).where(
        SurveyParticipation.survey_id == pre.id
    )
    person = db.session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == "confirmed",
            Registration.email.isnot(None),
            Registration.id.not_in(answered),
        )
        .order_by(Registration.id)
        .limit(1)
    )
    before = _submitted(pre)

    with time_machine.travel(now, tick=False):
        page = client.get(
            f"/events/{event.slug}/surveys/{pre.id}/{survey_token(pre, person)}"
        )
        assert page.status_code == 200
        assert "your expectations" in page.get_data(as_text=True)
        sent = client.post(page.request.path, data=_form(pre))
    assert sent.status_code in (302, 303)
    assert _submitted(pre) == before + 1

    # After the webinar, with attendance recorded, the feedback survey opens.
    person.attended = True
    db.session.commit()
    after = post.opens_at + timedelta(hours=1)
    with time_machine.travel(after, tick=False):
        link = f"/events/{event.slug}/surveys/{post.id}/{survey_token(post, person)}"
        page = client.get(link)
        assert page.status_code == 200
        assert "your feedback" in page.get_data(as_text=True)
        sent = client.post(link, data=_form(post))
        assert sent.status_code in (302, 303)
    assert _submitted(post) == 1
    # Anonymous: the answers are not linked to the person; a participation is.
    response = db.session.scalar(
        select(SurveyResponse).where(SurveyResponse.survey_id == post.id)
    )
    assert response.registration_id is None
    assert (
        db.session.scalar(
            select(SurveyParticipation.registration_id).where(
                SurveyParticipation.survey_id == post.id
            )
        )
        == person.id
    )
