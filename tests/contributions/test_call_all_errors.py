"""The call's settings report every problem of one submit: the form's own
checks and the service's (window, durations, kinds sought) together."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.contributions.models import ContributionCall
from consult.contributions.services import CallData, call_for, update_call
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.clock import field, wall
from tests.effects import committed
from tests.form_summary import error_text, summary_links


def _url(event) -> str:
    return f"/manage/events/{event.slug}/contributions/call"


def test_the_service_reports_every_rule_at_once(reg_event, organiser, now):
    data = CallData(
        opens_at=now + timedelta(days=2),
        closes_at=now + timedelta(days=1),  # before it opens
        guidelines="x" * 10_001,
        kinds={"best_practice": "ten", "case_study": [0], "panel_statement": ""},
    )
    with pytest.raises(ValidationFailed) as refused:
        update_call(reg_event, organiser, data, now=now)
    assert [name for name, _m in refused.value.problems] == [
        "closes_at",
        "guidelines",
        "best_practice",
        "case_study",
    ]
    db.session.rollback()
    assert call_for(reg_event) is None


def test_no_kind_sought_is_said_with_the_window(reg_event, organiser, now):
    data = CallData(opens_at=None, closes_at=None, kinds={"best_practice": ""})
    with pytest.raises(ValidationFailed) as refused:
        update_call(reg_event, organiser, data, now=now)
    assert dict(refused.value.problems).keys() == {"closes_at", "best_practice"}


def test_one_submit_shows_the_form_and_service_problems_together(
    client, login, organiser, reg_event
):
    login(organiser)
    response = client.post(
        _url(reg_event),
        data={
            "opens_at": field(wall(1, 9)),
            "closes_at": "",  # the form's rule
            "guidelines": "Share one practice.",
            "best_practice": "ten",  # the service's: whole minutes
            "case_study": "200",  # the service's: at most 180
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in error_text(page, "closes_at")
    assert "whole minutes from 1 to 180" in error_text(page, "best_practice")
    assert "whole minutes from 1 to 180" in error_text(page, "case_study")
    assert summary_links(page) == ["closes_at", "best_practice", "case_study"]
    assert "Share one practice." in page  # what was typed is kept
    assert committed().query(ContributionCall).count() == 0


def test_an_edit_refused_leaves_the_call_as_it_was(client, login, organiser, cb_event):
    before = call_for(cb_event)
    kept = (before.closes_at, before.kinds)
    login(organiser)
    response = client.post(
        _url(cb_event),
        data={
            "opens_at": field(wall(5, 9)),
            "closes_at": field(wall(4, 9)),  # before it opens
            "guidelines": "Changed",
            "best_practice": "",
            "case_study": "0",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The call must close after it opens." in error_text(page, "closes_at")
    assert summary_links(page) == ["closes_at", "case_study"]
    stored = committed().get(ContributionCall, before.id)
    assert (stored.closes_at, stored.kinds) == kept
    assert stored.guidelines_md != "Changed"
