"""Registration emails are queued as a row and composed by the sender.

The request inserts one row naming the kind and the registration; the sender
composes it when its turn comes, from the registration and event as they are
then, stores the text (so a resend is the same bytes and the outbox shows what
was sent) or withdraws a message that is no longer right.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult.extensions import db
from consult.notifications.composers import (
    Composed,
    Withdrawn,
    compose,
    register_composer,
)
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox, queue_composed_email
from consult.registration.models import Registration
from consult.registration.services import (
    RegistrationData,
    cancel_registration,
    erase,
    register,
)
from tests.calendar.conftest import JOIN_URL


def _data(email="siti@example.org", **changes) -> RegistrationData:
    values = dict(
        full_name="Siti Aminah",
        email=email,
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )
    values.update(changes)
    return RegistrationData(**values)


def _rows() -> list[OutboundEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


@pytest.fixture
def joinable(reg_event):
    reg_event.join_url = JOIN_URL
    db.session.commit()
    return reg_event


def test_registering_queues_a_row_the_sender_composes_and_keeps(
    joinable, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    result = register(joinable, _data(), now=now)
    db.session.commit()

    [row] = _rows()
    # Queued: what and about whom, no text yet.
    assert (row.composer, row.registration_id) == (
        "registration",
        result.registration_id,
    )
    assert row.params == {"kind": "confirmed", "version": 1}
    assert row.composed_at is None and row.body_text == "" and row.attachments == []
    assert row.subject == f"You are registered: {joinable.title}"

    sent_at = now + timedelta(seconds=40)
    report = deliver_outbox(now=sent_at)
    assert report.sent == 1

    [row] = _rows()
    assert row.status == "sent" and row.composed_at == sent_at
    assert JOIN_URL in row.body_text and JOIN_URL in row.body_html
    assert "/registration/" in row.body_text  # the personal manage link
    assert {a.disposition for a in row.attachments} == {"alternative", "attachment"}
    [received] = smtp_sink.handler.received
    message = received.message
    assert message["Subject"] == row.subject
    assert message["Message-ID"] == row.message_id
    # The Date is when the text was composed.
    assert message["Date"].datetime == sent_at
    text = message.get_body(("plain",)).get_content()
    assert JOIN_URL in text


def test_the_text_states_the_facts_of_the_moment_it_leaves(
    joinable, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    register(joinable, _data(), now=now)
    db.session.commit()
    joinable.title = "Circular Petaling Jaya, renamed"
    db.session.commit()

    deliver_outbox(now=now + timedelta(seconds=10))

    [received] = smtp_sink.handler.received
    assert received.message["Subject"] == (
        "You are registered: Circular Petaling Jaya, renamed"
    )


def test_a_message_for_someone_who_erased_their_data_is_withdrawn(
    joinable, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    result = register(joinable, _data(), now=now)
    db.session.commit()
    erase(result.registration, now=now + timedelta(seconds=5))
    db.session.commit()

    # The erasure withdrew it at once; the sender has nothing to send.
    [row] = _rows()
    assert row.status == "withdrawn"
    report = deliver_outbox(now=now + timedelta(seconds=10))

    assert (report.claimed, report.sent, report.withdrawn) == (0, 0, 0)
    assert smtp_sink.handler.received == []
    [row] = _rows()
    assert row.status == "withdrawn"
    assert "erased their data" in row.last_error
    assert row.body_text == "" and row.composed_at is None
    assert (row.recipient, row.recipient_name, row.subject) == ("", "", "")


def test_a_confirmation_overtaken_by_a_cancellation_is_withdrawn(
    joinable, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    result = register(joinable, _data(), now=now)
    db.session.commit()
    cancel_registration(result.registration, now=now + timedelta(seconds=3))
    db.session.commit()

    report = deliver_outbox(now=now + timedelta(seconds=10))

    confirmation, cancellation = _rows()
    assert confirmation.status == "withdrawn"
    assert "status changed to: cancelled" in confirmation.last_error
    assert cancellation.status == "sent"
    # Withdrawn by the cancellation itself, before the sender came.
    assert (report.sent, report.withdrawn) == (1, 0)
    # Its confirmation never left, so the person holds no calendar copy:
    # the cancellation carries no CANCEL.
    assert cancellation.attachments == []
    [received] = smtp_sink.handler.received
    assert received.message["Subject"].startswith("Your registration is cancelled")


def test_a_resend_after_a_crash_is_the_same_bytes(joinable, now, smtp_sink, use_smtp):
    use_smtp(smtp_sink.port)
    register(joinable, _data(), now=now)
    db.session.commit()
    deliver_outbox(now=now + timedelta(seconds=10))
    [row] = _rows()
    # The sender died after the server's 250 and before recording it: the
    # row is still "sending" when its lease runs out, and goes out again.
    later = now + timedelta(hours=1)
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == row.id)
        .values(status="sending", lease_expires_at=later - timedelta(minutes=1))
    )
    db.session.commit()

    report = deliver_outbox(now=later)

    assert report.requeued == 1 and report.sent == 1
    first, again = smtp_sink.handler.received
    assert again.content == first.content
    [row] = _rows()
    assert len(row.attachments) == 2  # stored once, not once per attempt


# The registry lives as long as the process: test composers are registered
# once, as module-level functions (each test runs on both databases).
_FLAKY_CALLS: list = []


def _flaky(row, at):
    _FLAKY_CALLS.append(at)
    if len(_FLAKY_CALLS) == 1:
        raise RuntimeError("template missing")
    return Composed("Hello", "Text body\n", "")


def _plain(row, at):
    return Composed("S", "T\n", "")


def _other(row, at):
    return Composed("X", "Y\n", "")


def test_a_composer_that_fails_is_tried_again_and_the_error_kept(
    app, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    _FLAKY_CALLS.clear()
    register_composer("test-flaky", _flaky)
    assert queue_composed_email(
        composer="test-flaky",
        to="ana@example.org",
        subject="Queued subject",
        dedup_key="flaky:1",
        now=now,
    )
    db.session.commit()

    first = deliver_outbox(now=now)
    [row] = _rows()
    assert (first.sent, first.retried) == (0, 1)
    assert row.status == "queued" and "template missing" in row.last_error
    assert row.attempts == 1 and row.next_attempt_at > now

    second = deliver_outbox(now=row.next_attempt_at)
    [row] = _rows()
    assert second.sent == 1 and row.status == "sent" and row.subject == "Hello"
    assert [r.message["Subject"] for r in smtp_sink.handler.received] == ["Hello"]


def test_the_same_key_queues_once(app, now):
    register_composer("test-once", _plain)
    kwargs = dict(
        composer="test-once", to="ana@example.org", subject="S", dedup_key="once:1"
    )
    assert queue_composed_email(now=now, **kwargs) is True
    assert queue_composed_email(now=now, **kwargs) is False
    db.session.commit()
    assert len(_rows()) == 1


def test_registry_refuses_a_second_composer_under_one_name(app):
    register_composer("test-dup", _plain)
    register_composer("test-dup", _plain)  # the same one again is harmless
    with pytest.raises(ValueError):
        register_composer("test-dup", _other)


def test_compose_withdraws_without_a_registration(app, now):
    row = OutboundEmail(
        composer="registration",
        params={"kind": "confirmed", "version": 1},
        registration_id=None,
        recipient="ana@example.org",
    )
    with pytest.raises(Withdrawn):
        compose(row, now=now)


def test_a_registration_through_the_form_reaches_the_outbox_page_and_the_inbox(
    client, login, organiser, joinable, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    posted = client.post(
        f"/events/{joinable.slug}/register",
        data={
            "full_name": "Nurul Huda",
            "email": "nurul@example.my",
            "country": "MY",
            "timezone": "Asia/Kuala_Lumpur",
            "type_key": "civil_society",
            "role": "attendee",
            "consent_privacy": "y",
        },
    )
    assert posted.status_code == 200
    assert "Your seat is confirmed." in posted.get_data(as_text=True)
    [row] = _rows()
    assert row.recipient == "nurul@example.my" and row.composed_at is None

    login(organiser)
    outbox_url = f"/manage/events/{joinable.slug}/notifications"
    page = client.get(outbox_url).get_data(as_text=True)
    assert "registration_confirmed · written when it is sent" in page

    deliver_outbox(now=now + timedelta(seconds=20))
    [received] = smtp_sink.handler.received
    assert received.rcpt_tos == ["nurul@example.my"]
    assert JOIN_URL in received.message.get_body(("plain",)).get_content()
    page = client.get(outbox_url).get_data(as_text=True)
    assert "written when it is sent" not in page


def test_a_message_put_back_unsent_is_checked_again_before_it_leaves(
    joinable, now, smtp_sink, stalling_server, use_smtp
):
    # The server is unreachable: the message is composed, stored, and put back.
    use_smtp(stalling_server, timeout=1)
    result = register(joinable, _data(), now=now)
    db.session.commit()
    deliver_outbox(now=now + timedelta(seconds=10))
    [row] = _rows()
    assert row.status == "queued" and row.composed_at is not None
    # Meanwhile the registration's address is corrected, by a change that
    # withdraws nothing itself: the stored text must not go to the old one.
    db.session.execute(
        update(Registration)
        .where(Registration.id == result.registration_id)
        .values(email="siti.new@example.org")
    )
    db.session.commit()
    use_smtp(smtp_sink.port)

    report = deliver_outbox(now=row.next_attempt_at)

    assert report.withdrawn == 1 and report.sent == 0
    assert smtp_sink.handler.received == []
    [row] = _rows()
    assert row.status == "withdrawn" and "address changed" in row.last_error


def test_a_message_put_back_unsent_is_withdrawn_at_once_by_an_erasure(
    joinable, now, smtp_sink, stalling_server, use_smtp
):
    use_smtp(stalling_server, timeout=1)
    result = register(joinable, _data(), now=now)
    db.session.commit()
    deliver_outbox(now=now + timedelta(seconds=10))
    [row] = _rows()
    assert row.status == "queued" and row.composed_at is not None
    erase(result.registration, now=now + timedelta(minutes=5))
    db.session.commit()
    use_smtp(smtp_sink.port)

    report = deliver_outbox(now=row.next_attempt_at)

    assert report.claimed == 0 and smtp_sink.handler.received == []
    [row] = _rows()
    assert row.status == "withdrawn" and "erased their data" in row.last_error
    # The stored text and its invite are gone with the person's data.
    assert (row.recipient, row.subject, row.body_text, row.body_html) == (
        "",
        "",
        "",
        "",
    )
    assert row.attachments == [] and row.params == {}
    assert row.composed_at is not None and row.template == "registration_confirmed"


def test_a_message_put_back_unsent_goes_out_as_stored_when_still_right(
    joinable, now, smtp_sink, stalling_server, use_smtp
):
    use_smtp(stalling_server, timeout=1)
    register(joinable, _data(), now=now)
    db.session.commit()
    deliver_outbox(now=now + timedelta(seconds=10))
    [row] = _rows()
    stored = row.body_text
    joinable.title = "Renamed after it was composed"
    db.session.commit()
    use_smtp(smtp_sink.port)

    deliver_outbox(now=row.next_attempt_at)

    [received] = smtp_sink.handler.received
    # Composed once: the retry sends the same text, under the same Date.
    text = received.message.get_body(("plain",)).get_content()
    assert text.replace("\r\n", "\n") == stored
    assert "Renamed after it was composed" not in received.message["Subject"]
    assert received.message["Date"].datetime == now + timedelta(seconds=10)


def test_a_batch_reads_each_event_and_its_agenda_once(
    joinable, now, smtp_sink, use_smtp
):
    from sqlalchemy import event as sa_event

    from consult.events.models import AgendaSession, Speaker

    use_smtp(smtp_sink.port)
    session = AgendaSession(
        event_id=joinable.id,
        title="Opening",
        start_at=joinable.start_at,
        end_at=joinable.start_at + timedelta(minutes=30),
    )
    session.speakers.append(Speaker(name="Dr. Lim"))
    db.session.add(session)
    for n in range(4):
        register(joinable, _data(f"person{n}@example.org"), now=now)
    db.session.commit()
    db.session.remove()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        report = deliver_outbox(now=now + timedelta(seconds=30))
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)

    assert report.sent == 4
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert sum("FROM agenda_sessions" in s for s in reads) == 1
    assert sum("FROM speakers" in s for s in reads) == 1
    # The event loaded as an object (the claim's own query may name events too).
    assert sum(s.lstrip().startswith("SELECT events.") for s in reads) == 1
    # Every message still carries the agenda in its invite.
    for row in _rows():
        invites = [a for a in row.attachments if a.filename == "invite.ics"]
        unfolded = [a.content.replace(b"\r\n ", b"") for a in invites]
        assert invites and all(b"Opening (Dr. Lim)" in text for text in unfolded)
