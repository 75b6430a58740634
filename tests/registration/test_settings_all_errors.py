"""Stakeholder types and registration questions report every problem of one
submit: the form's checks and the service's (a label taken, shares over 100%)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.models import RegistrationQuestion, StakeholderType
from consult.registration.services.settings import (
    QuestionData,
    StakeholderTypeData,
    check_question,
    check_stakeholder_type,
)
from tests.form_summary import summary_links


def _types() -> int:
    return db.session.scalar(select(func.count(StakeholderType.id)))


def test_a_type_reports_the_taken_label_and_the_shares_together(reg_event):
    taken = db.session.scalars(
        select(StakeholderType).where(StakeholderType.event_id == reg_event.id)
    ).first()
    data = StakeholderTypeData(
        label=taken.label.upper(), description="", target_share=100, cap=-1
    )
    with pytest.raises(ValidationFailed) as refused:
        check_stakeholder_type(reg_event, data)
    fields = [name for name, _m in refused.value.problems]
    assert sorted(fields) == ["cap", "label", "target_share"]


def test_one_submit_shows_the_forms_and_the_services_problems(
    client, login, organiser, reg_event
):
    taken = db.session.scalars(
        select(StakeholderType).where(StakeholderType.event_id == reg_event.id)
    ).first()
    before = _types()
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/registration-settings/types",
        data={"label": taken.label, "target_share": "0", "cap": "-4"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Another type has this label." in page  # the service's rule
    assert "Enter a whole number from 0" in page  # the form's
    assert summary_links(page) == ["label", "cap"]
    assert _types() == before


def test_a_question_reports_every_problem(reg_event):
    data = QuestionData(
        label="", kind="choice", help_text="", choices=["Only one"], type_keys=["x"]
    )
    with pytest.raises(ValidationFailed) as refused:
        check_question(reg_event, data)
    fields = {name for name, _m in refused.value.problems}
    assert fields == {"label", "choices", "type_keys"}
    assert db.session.scalar(select(func.count(RegistrationQuestion.id))) == 0
