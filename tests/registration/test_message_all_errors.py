"""The message to many registrants reports every problem of one submit: the
statuses, the text for everyone and each language's block, together; the
service refuses with all of them too, and nothing is queued."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.services.bulk_message import send_bulk_message
from consult.registration.services.bulk_message_checks import send_test_message
from consult.registration.services.organiser_queries import RegistrantFilter
from tests.effects import committed
from tests.form_summary import error_text, summary_links


@pytest.fixture
def readers(reg_event, make_registration):
    return [
        make_registration(reg_event, language="ms"),
        make_registration(reg_event, language="en"),
    ]


def _queued() -> list:
    return committed().scalars(select(OutboundEmail)).all()


def test_the_service_refuses_with_every_problem(reg_event, readers, organiser, now):
    texts = {"ms": ("", "Sila baca dahulu."), "ko": ("목요일", "")}
    with pytest.raises(ValidationFailed) as refused:
        send_bulk_message(
            reg_event,
            RegistrantFilter(),
            organiser,
            subject="Slides",
            body="",
            texts=texts,
            now=now,
        )
    assert [name for name, _m in refused.value.problems] == [
        "body",
        "subject_ms",
        "body_ko",
    ]
    with pytest.raises(ValidationFailed) as tested:
        send_test_message(
            reg_event, organiser, subject="", body="Text", texts=texts, now=now
        )
    assert len(tested.value.problems) == 3
    db.session.rollback()
    assert _queued() == []


def test_one_submit_shows_every_problem_with_a_link_to_each(
    client, login, organiser, reg_event, readers
):
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/registrations/message",
        data={
            # No status ticked: the form's rule.
            "subject": "Slides for Thursday",
            "body": "",  # a subject needs its message
            "subject_ms": "",
            "body_ms": "Sila baca dahulu.",  # a message needs its subject
            "send": "1",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose at least one status." in error_text(html, "statuses")
    assert "Write the message for this subject." in error_text(html, "body")
    assert "Write a subject for this message." in error_text(html, "subject_ms")
    assert summary_links(html) == ["statuses-pending", "body", "subject_ms"]
    assert 'id="statuses-pending"' in html
    assert "Sila baca dahulu." in html  # what was typed comes back
    assert _queued() == []
