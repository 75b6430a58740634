"""The input form reports every problem of one submit: the form's checks and
the service's (the kind's own fields, web addresses) together."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from consult.challenges.models import Input
from consult.challenges.services import (
    InputData,
    check_input,
    checked_moderation,
    update_moderation,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.form_summary import error_text, summary_links


def _summary_links(page: str) -> list[str]:
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_one_submit_shows_every_problem_of_an_input(
    client, ch_event, make_registration, token
):
    reg = make_registration(ch_event)
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/new"
    response = client.post(
        url,
        data={
            "kind": "best_practice",
            "title": "",  # the form's rule
            "body": "Deposit schemes work.",
            "city": "",  # the service's: a best practice says where
            "links": "deposit.example.org",  # the service's: not a web address
            "budget_range": "",
            "country": "",
            "challenge_id": "",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say in which city this was done." in page
    assert "is not a web address" in page
    assert {"title", "city", "links"} <= set(_summary_links(page))
    assert db.session.scalar(select(func.count(Input.id))) == 0


def test_the_service_reports_every_problem_at_once(ch_event):
    data = InputData(kind="best_practice", title="", body="", city="", links="nowhere")
    with pytest.raises(ValidationFailed) as refused:
        check_input(ch_event, data)
    fields = {name for name, _message in refused.value.problems}
    assert fields == {"title", "body", "city", "links"}


def test_moderation_reports_the_tags_and_the_answer_together(
    ch_event, make_registration, make_input, organiser, now
):
    item = make_input(ch_event, make_registration(ch_event), title="Sort at source")
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        update_moderation(
            item,
            organiser,
            tags="food, " + "x" * 41,  # one tag too long
            answer="y" * 5001,
            selected_for_plan=True,
            now=now,
        )
    assert [name for name, _m in refused.value.problems] == ["tags", "answer"]
    with pytest.raises(ValidationFailed) as refused:
        checked_moderation(tags=", ".join(f"t{n}" for n in range(11)), answer="ok")
    assert [name for name, _m in refused.value.problems] == ["tags"]
    db.session.rollback()
    stored = db.session.get(Input, item.id)
    assert (stored.tags, stored.answer, stored.selected_for_plan) == ([], "", False)


def test_one_moderation_submit_shows_every_problem(
    client, login, organiser, ch_event, make_registration, make_input
):
    item = make_input(ch_event, make_registration(ch_event), title="Sort at source")
    db.session.commit()
    login(organiser)
    response = client.post(
        f"/manage/events/{ch_event.slug}/challenges/inputs/{item.id}/moderation",
        data={
            "tags": ", ".join(f"t{n}" for n in range(11)),  # the service's rule
            "answer": "y" * 5001,  # the form's rule (and the service's)
            "selected_for_plan": "y",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "At most 10 tags, please." in error_text(page, "tags")
    assert "5000" in error_text(page, "answer")
    assert summary_links(page) == ["tags", "answer"]
    db.session.expire_all()
    stored = db.session.get(Input, item.id)
    assert (stored.tags, stored.answer, stored.selected_for_plan) == ([], "", False)
