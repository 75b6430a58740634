"""Survey invitations and reminders are composed when they leave, and withdrawn
when they are no longer right: the person answered, cancelled or erased their
data, or the survey closed, while the message waited in the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from consult.registration.services import cancel_registration, erase
from consult.surveys.services import (
    personal_survey_url,
    remind_non_responders,
    send_invitations,
    submit_response,
)
from tests.notifications.conftest import SinkHandler, free_port
from tests.surveys.conftest import full_answers


@pytest.fixture
def sink(app):
    from aiosmtpd.controller import Controller

    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_TIMEOUT=20,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_SUPPRESS_SEND=False,
        MAIL_DEFAULT_SENDER="Consult <no-reply@consult.example>",
    )
    try:
        yield handler
    finally:
        controller.stop()


def _rows() -> list[OutboundEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


def _invite(survey, organiser, now):
    report = send_invitations(survey, organiser, now=now)
    db.session.commit()
    return report


def test_an_invitation_is_composed_when_it_leaves(
    survey, make_registration, organiser, now, sink
):
    person = make_registration(survey.event, "siti@example.my")
    _invite(survey, organiser, now)
    [row] = _rows()
    assert (row.composer, row.registration_id, row.body_text) == (
        "survey",
        person.id,
        "",
    )
    assert row.params["kind"] == "invitation"

    report = deliver_outbox(now=now + timedelta(seconds=30))

    assert report.sent == 1
    [received] = sink.received
    assert received.message["Subject"] == f"Your views, please: {survey.title}"
    body = received.message.get_body(("plain",)).get_content()
    assert personal_survey_url(survey, person) in body
    assert _rows()[0].status == "sent"


def test_a_reminder_to_someone_who_answered_meanwhile_is_withdrawn(
    survey, make_registration, organiser, now, sink
):
    person = make_registration(survey.event, "siti@example.my")
    # Only invited people are reminded; the invitation left a day ago.
    _invite(survey, organiser, now - timedelta(days=1))
    deliver_outbox(now=now - timedelta(days=1))
    sink.received.clear()
    remind_non_responders(survey, organiser, now=now)
    db.session.commit()
    submit_response(
        survey, person, full_answers(survey), now=now + timedelta(seconds=5)
    )
    db.session.commit()

    report = deliver_outbox(now=now + timedelta(seconds=30))

    assert (report.sent, report.withdrawn) == (0, 1)
    assert sink.received == []
    [row] = [r for r in _rows() if r.template == "survey_reminder"]
    assert row.status == "withdrawn"
    assert row.last_error == "The person answered before this message left."


def test_an_invitation_after_the_survey_closed_is_withdrawn(
    survey, make_registration, organiser, now, sink
):
    make_registration(survey.event, "siti@example.my")
    _invite(survey, organiser, now)

    # The mail server was away until after the survey closed.
    deliver_outbox(now=survey.closes_at + timedelta(minutes=1))

    assert sink.received == []
    [row] = _rows()
    assert row.status == "withdrawn"
    assert row.last_error == "The survey was closed before this message left."


def test_cancelling_withdraws_the_invitation_at_once(
    survey, make_registration, organiser, now, sink
):
    person = make_registration(survey.event, "siti@example.my")
    _invite(survey, organiser, now)

    cancel_registration(person, now=now + timedelta(seconds=10))
    db.session.commit()

    invitation, cancellation = _rows()
    assert invitation.status == "withdrawn"
    assert "status changed to: cancelled" in invitation.last_error
    deliver_outbox(now=now + timedelta(seconds=30))
    assert [r.message["Subject"] for r in sink.received] == [
        f"Your registration is cancelled: {survey.event.title}"
    ]


def test_erasing_scrubs_the_invitation(survey, make_registration, organiser, now, sink):
    person = make_registration(survey.event, "siti@example.my")
    _invite(survey, organiser, now)

    erase(person, now=now + timedelta(seconds=10))
    db.session.commit()

    [row] = _rows()
    assert row.status == "withdrawn"
    assert (row.recipient, row.subject, row.params) == ("", "", {})
    assert row.template == "survey_invitation" and row.created_at == now
    assert deliver_outbox(now=now + timedelta(seconds=30)).claimed == 0
    assert sink.received == []
