"""Public-link surveys: one answer per browser, a per-address limit, bots kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.surveys.forms import started_token
from consult.surveys.models import SurveyResponse
from consult.surveys.services import submit_public
from consult.timeutil import now_utc
from tests.conftest import make_app
from tests.surveys.conftest import full_answers


@pytest.fixture
def public_survey(make_survey, reg_event):
    return make_survey(reg_event, kinds=("rating", "short_text"), audience="public")


def _responses() -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id)))


def _form(survey, *, seconds_ago=60, **extra):
    rating, text = survey.questions
    data = {
        f"q{rating.id}": "8",
        f"q{text.id}": "More pilots with hawker centres",
        "started": started_token(now_utc() - timedelta(seconds=seconds_ago)),
    }
    data.update(extra)
    return data


def _url(survey):
    return f"/events/{survey.event.slug}/surveys/public/{survey.public_token}"


def test_service_stores_an_unlinked_response(public_survey, now):
    response = submit_public(
        public_survey,
        full_answers(public_survey),
        now=now,
        started_at=now - timedelta(minutes=2),
        min_seconds=5,
    )
    db.session.commit()
    assert response.registration_id is None and response.stakeholder_type_id is None
    assert len(response.answers) == 2


def test_service_refuses_a_form_filled_too_fast_or_without_start(public_survey, now):
    raw = full_answers(public_survey)
    for started in (now - timedelta(seconds=2), None):
        with pytest.raises(ValidationFailed, match="quicker"):
            submit_public(
                public_survey, raw, now=now, started_at=started, min_seconds=5
            )
    assert _responses() == 0


def test_answer_once_per_browser(client, public_survey):
    url = _url(public_survey)
    page = client.get(url)
    assert page.status_code == 200 and 'name="started"' in page.text
    sent = client.post(url, data=_form(public_survey))
    assert sent.status_code == 302
    assert "survey_done_" in sent.headers["Set-Cookie"]
    assert "HttpOnly" in sent.headers["Set-Cookie"]
    again = client.get(url)
    assert "already sent answers" in again.text
    assert 'name="started"' not in again.text  # the form is not shown again
    repeated = client.post(url, data=_form(public_survey))
    assert repeated.status_code == 409
    assert _responses() == 1


def test_a_forged_cookie_does_not_count(client, public_survey):
    client.set_cookie(
        f"survey_done_{public_survey.id}",
        "forged",
        path=_url(public_survey),
    )
    assert (
        client.post(_url(public_survey), data=_form(public_survey)).status_code == 302
    )
    assert _responses() == 1


def test_honeypot_looks_like_success_and_stores_nothing(client, public_survey):
    page = client.post(
        _url(public_survey), data=_form(public_survey, website="http://spam.example")
    )
    assert page.status_code == 200 and "Thank you" in page.text
    assert _responses() == 0


def test_too_fast_submission_is_shown_again_with_answers_kept(client, public_survey):
    page = client.post(_url(public_survey), data=_form(public_survey, seconds_ago=1))
    assert page.status_code == 422
    assert "quicker than anyone" in page.text
    assert "More pilots with hawker centres" in page.text
    assert _responses() == 0
    forged = client.post(_url(public_survey), data=_form(public_survey, started="x"))
    assert forged.status_code == 422
    assert _responses() == 0


def test_per_question_errors_on_the_public_form(client, public_survey):
    rating, text = public_survey.questions
    page = client.post(_url(public_survey), data=_form(public_survey, **{
        f"q{rating.id}": "11"}))  # fmt: skip
    assert page.status_code == 422
    assert f'id="q{rating.id}-error"' in page.text
    assert _responses() == 0


def test_wrong_token_closed_survey_and_registrant_links(
    client, public_survey, make_survey, reg_event, now
):
    assert (
        client.get(f"/events/{reg_event.slug}/surveys/public/not-a-token").status_code
        == 404
    )
    named = make_survey(reg_event, kinds=("likert",), title="Named")
    assert named.public_token is None
    public_survey.closes_at = now - timedelta(minutes=1)
    public_survey.opens_at = now - timedelta(days=2)
    db.session.commit()
    page = client.get(_url(public_survey))
    assert "has closed" in page.text
    assert (
        client.post(_url(public_survey), data=_form(public_survey)).status_code == 409
    )


def test_public_posts_are_limited_per_address(database_url, tmp_path, public_survey):
    url = _url(public_survey)
    survey_id = public_survey.id
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        SURVEY_PUBLIC_RATE_LIMIT="2 per minute",
        SERVER_NAME="consult.test",
    )
    codes = []
    with limited.app_context():
        from consult.surveys.models import Survey

        survey = db.session.get(Survey, survey_id)
        data = _form(survey)
        db.session.remove()
    for _ in range(3):
        client = limited.test_client()  # a fresh browser each time: no cookie
        codes.append(client.post(url, data=data).status_code)
    assert codes[:2] == [302, 302], codes
    assert codes[2] == 429
    with limited.app_context():
        stored = db.session.scalar(select(func.count(SurveyResponse.id)))
        db.session.remove()
        db.engine.dispose()
    assert stored == 2
