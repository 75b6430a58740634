"""The input form reports every problem of one submit: the form's checks and
the service's (the kind's own fields, web addresses) together."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from consult.challenges.models import Input
from consult.challenges.services import InputData, check_input
from consult.errors import ValidationFailed
from consult.extensions import db


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
