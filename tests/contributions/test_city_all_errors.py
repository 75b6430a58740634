"""The city forms report every problem of one submit: the representative's
challenge (new or edited) and the organiser's invitation, the form's own
checks and the service's together; nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.contributions.models import CityChallenge, CityRepresentative
from consult.contributions.services import (
    CityChallengeData,
    invite_representative,
    propose_challenge,
    representative_token,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.effects import committed
from tests.form_summary import error_text, summary_links


def _count(model) -> int:
    return committed().scalar(select(func.count(model.id)))


def test_a_challenge_is_refused_with_every_problem(rep, now):
    data = CityChallengeData(
        title="",
        description="x" * 10_001,
        category="weather",
        evidence_links="not a link",
    )
    with pytest.raises(ValidationFailed) as refused:
        propose_challenge(rep, data, now=now)
    assert [name for name, _m in refused.value.problems] == [
        "category",
        "title",
        "description",
        "evidence_links",
    ]
    assert _count(CityChallenge) == 0


def test_an_invitation_is_refused_with_every_problem(rep, cb_event, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        invite_representative(
            cb_event,
            organiser,
            name="",
            email="lim@mbpj.example.my",  # invited already
            city="x" * 121,
            language="xx",
            now=now,
        )
    problems = dict(refused.value.problems)
    assert problems.keys() == {"name", "email", "city", "language"}
    assert "already invited" in problems["email"]
    assert _count(CityRepresentative) == 1


def test_one_challenge_submit_shows_the_form_and_service_problems(client, rep):
    token = representative_token(rep)
    response = client.post(
        f"/events/{rep.event.slug}/city/{token}",
        data={
            "title": "",  # the form's rule
            "category": "e_waste",
            "description": "Few drop-off points.",
            "evidence_links": "https://example.my/report.pdf\nnot a link",  # service
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in error_text(page, "title")
    assert "is not a web address" in error_text(page, "evidence_links")
    assert summary_links(page) == ["title", "evidence_links"]
    assert "Few drop-off points." in page
    assert _count(CityChallenge) == 0


def test_an_edit_shows_every_problem_and_keeps_the_stored_challenge(client, rep, now):
    item = propose_challenge(
        rep, CityChallengeData("E-waste", "Few points.", "e_waste"), now=now
    )
    db.session.commit()
    token = representative_token(rep)
    response = client.post(
        f"/events/{rep.event.slug}/city/{token}/{item.id}",
        data={
            "title": "",
            "category": "e_waste",
            "description": "Changed",
            "evidence_links": "ftp://files.example.my/x",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert summary_links(page) == ["title", "evidence_links"]
    stored = committed().get(CityChallenge, item.id)
    assert (stored.title, stored.description) == ("E-waste", "Few points.")


def test_one_invitation_submit_shows_the_form_and_service_problems(
    client, login, organiser, rep, outbox
):
    login(organiser)
    sent = len(outbox())
    response = client.post(
        f"/manage/events/{rep.event.slug}/contributions/city",
        data={
            "name": "",  # the form's rule
            "email": "lim@mbpj.example.my",  # the service's: invited already
            "city": "Petaling Jaya",
            "language": "en",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in error_text(page, "name")
    assert "already invited for this event" in error_text(page, "email")
    assert summary_links(page) == ["name", "email"]
    assert _count(CityRepresentative) == 1
    assert len(outbox()) == sent
