"""deliver_outbox against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from consult.extensions import db
from consult.notifications.delivery import backoff_delay
from consult.notifications.mime import EmailAttachment
from consult.notifications.services import deliver_outbox

from .conftest import free_port

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
    b"PRODID:-//Consult//EN\r\nEND:VCALENDAR\r\n"
)
CALENDAR_TYPE = "text/calendar; method=REQUEST; charset=UTF-8"


def _reload(email):
    db.session.expire_all()
    return db.session.get(type(email), email.id)


def test_sends_one_message_with_a_stable_id_and_the_right_structure(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    email = queue_notice(
        "invite:1",
        to="Siti@Example.my",
        to_name="Siti Aminah",
        attachments=[
            EmailAttachment("invite.ics", CALENDAR_TYPE, ICS, "alternative"),
            EmailAttachment("agenda.pdf", "application/pdf", b"%PDF-1.4 test"),
        ],
    )

    report = deliver_outbox(now=now)

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = smtp_sink.handler.received
    assert received.rcpt_tos == ["Siti@example.my"]  # one recipient per message
    assert received.mail_from == "no-reply@consult.example"
    msg = received.message
    assert msg["Message-ID"] == email.message_id
    assert msg["To"] == "Siti Aminah <Siti@example.my>"
    assert msg["Subject"] == "Notice invite:1"
    assert msg.get_content_type() == "multipart/mixed"
    alternative, pdf = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert "See the new times." in plain.get_content()
    assert html.get_content_type() == "text/html"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar["Content-Transfer-Encoding"] == "7bit"
    assert calendar.get_payload(decode=True) == ICS
    # The calendar part is sent verbatim, not base64, with its method param.
    assert (
        b"Content-Type: text/calendar; method=REQUEST; charset=UTF-8"
        in received.content
    )
    assert b"METHOD:REQUEST" in received.content
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "agenda.pdf"
    assert pdf.get_content() == b"%PDF-1.4 test"

    stored = _reload(email)
    assert (stored.status, stored.attempts, stored.sent_at) == ("sent", 1, now)
    assert stored.lease_expires_at is None


def test_without_attachments_the_message_is_multipart_alternative(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    queue_notice("plain:1")
    deliver_outbox(now=now)
    [received] = smtp_sink.handler.received
    msg = received.message
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.get_payload()] == [
        "text/plain",
        "text/html",
    ]


@pytest.mark.parametrize(
    ("rcpt_reply", "data_reply"),
    [
        ("451 4.7.1 Greylisted, try again later", None),
        (None, "452 4.3.1 Out of storage"),
    ],
)
def test_temporary_refusal_is_retried_with_backoff(
    app, now, smtp_sink, use_smtp, queue_notice, rcpt_reply, data_reply
):
    use_smtp(smtp_sink.port)
    smtp_sink.handler.rcpt_reply, smtp_sink.handler.data_reply = rcpt_reply, data_reply
    email = queue_notice("temp:1")

    report = deliver_outbox(now=now)

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    stored = _reload(email)
    assert stored.status == "queued"
    assert stored.attempts == 1
    assert stored.next_attempt_at == now + timedelta(minutes=1)
    assert ("451" if rcpt_reply else "452") in stored.last_error
    assert stored.lease_expires_at is None
    # Not due yet: nothing is claimed before the backoff has passed.
    assert deliver_outbox(now=now + timedelta(seconds=30)).claimed == 0

    smtp_sink.handler.rcpt_reply = smtp_sink.handler.data_reply = None
    later = now + timedelta(minutes=1)
    assert deliver_outbox(now=later).sent == 1
    stored = _reload(email)
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 2, "")
    # The retry carries the same Message-ID as the first attempt would have.
    [received] = smtp_sink.handler.received
    assert received.message["Message-ID"] == email.message_id


@pytest.mark.parametrize(
    ("rcpt_reply", "data_reply", "reason"),
    [
        ("550 5.1.1 No such user here", None, "No such user"),
        (None, "554 5.6.0 Message rejected as spam", "rejected as spam"),
    ],
)
def test_permanent_refusal_fails_with_the_reason(
    app, now, smtp_sink, use_smtp, queue_notice, rcpt_reply, data_reply, reason
):
    use_smtp(smtp_sink.port)
    smtp_sink.handler.rcpt_reply, smtp_sink.handler.data_reply = rcpt_reply, data_reply
    email = queue_notice("perm:1")

    report = deliver_outbox(now=now)

    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    stored = _reload(email)
    assert stored.status == "failed"
    assert reason in stored.last_error
    assert stored.last_error.split(": ", 1)[1].startswith(("550", "554"))
    assert deliver_outbox(now=now + timedelta(days=1)).claimed == 0


def test_a_refusal_does_not_stop_the_rest_of_the_batch(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    handler = smtp_sink.handler
    original = handler.handle_RCPT

    async def refuse_one(server, session, envelope, address, options):
        if address.startswith("gone@"):
            return "550 5.1.1 No such user"
        return await original(server, session, envelope, address, options)

    handler.handle_RCPT = refuse_one
    queue_notice("batch:1", to="ana@example.org")
    gone = queue_notice("batch:2", to="gone@example.org")
    queue_notice("batch:3", to="ben@example.org")

    report = deliver_outbox(now=now)

    assert (report.sent, report.failed) == (2, 1)
    assert sorted(r.rcpt_tos[0] for r in handler.received) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert _reload(gone).status == "failed"


def test_gives_up_after_the_maximum_number_of_attempts(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    smtp_sink.handler.rcpt_reply = "451 4.7.1 Try later"
    email = queue_notice("max:1")

    deliver_outbox(now=now)
    assert _reload(email).status == "queued"
    report = deliver_outbox(now=now + backoff_delay(1))

    assert report.failed == 1
    stored = _reload(email)
    assert (stored.status, stored.attempts) == ("failed", 2)
    assert "gave up after 2 attempts" in stored.last_error


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [
        60,
        120,
        240,
        480,
    ]
    assert backoff_delay(30) == timedelta(hours=4)


def test_a_stalled_server_times_out_and_the_batch_is_retried(
    app, now, stalling_server, use_smtp, queue_notice
):
    use_smtp(stalling_server, timeout=1)
    emails = [queue_notice(f"stall:{n}", to=f"p{n}@example.org") for n in range(3)]

    started = time.monotonic()
    report = deliver_outbox(now=now)
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"the dispatcher hung for {elapsed:.1f} s"
    assert (report.sent, report.retried, report.failed) == (0, 3, 0)
    # Only the first message was tried; the others wait as long without
    # spending an attempt, so an outage does not use up the queue's attempts.
    for email, attempts in zip(emails, (1, 0, 0), strict=True):
        stored = _reload(email)
        assert (stored.status, stored.attempts) == ("queued", attempts)
        assert stored.next_attempt_at == now + timedelta(minutes=1)
        assert "timed out" in stored.last_error.lower()


def test_an_unexpected_error_fails_that_message_and_the_batch_goes_on(
    app, now, smtp_sink, use_smtp, queue_notice, monkeypatch
):
    import consult.notifications.delivery as delivery

    use_smtp(smtp_sink.port)
    broken, fine = queue_notice("broken:1"), queue_notice("fine:1", to="b@example.org")
    real_build = delivery.build_message

    def build(parts, *, date):
        if parts.recipient == "ana@example.org":
            raise RuntimeError("template engine exploded")
        return real_build(parts, date=date)

    monkeypatch.setattr(delivery, "build_message", build)
    report = deliver_outbox(now=now)

    assert (report.sent, report.failed) == (1, 1)
    assert _reload(broken).status == "failed"
    assert "exploded" in _reload(broken).last_error
    assert _reload(fine).status == "sent"


def test_an_unreachable_server_is_a_temporary_failure(app, now, use_smtp, queue_notice):
    use_smtp(free_port(), timeout=2)  # nothing listens there
    email = queue_notice("refused:1")
    report = deliver_outbox(now=now)
    assert report.retried == 1
    stored = _reload(email)
    assert stored.status == "queued" and "connection failed" in stored.last_error


def test_a_send_left_by_a_crashed_sender_is_requeued_and_sent(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    crashed = queue_notice("crash:1", to="crashed@example.org")
    crashed.status, crashed.attempts = "sending", 1
    crashed.lease_expires_at = now - timedelta(seconds=1)
    busy = queue_notice("crash:2", to="busy@example.org")
    busy.status, busy.attempts = "sending", 1
    busy.lease_expires_at = now + timedelta(minutes=4)  # another sender is on it
    db.session.commit()

    report = deliver_outbox(now=now)

    assert (report.requeued, report.sent) == (1, 1)
    assert [r.rcpt_tos for r in smtp_sink.handler.received] == [["crashed@example.org"]]
    stored = _reload(crashed)
    assert (stored.status, stored.attempts) == ("sent", 2)
    assert _reload(busy).status == "sending"


def test_an_outcome_is_not_recorded_over_a_lost_claim(
    app, now, smtp_sink, use_smtp, queue_notice, monkeypatch
):
    """If our lease expired and another sender took the row, we leave it alone."""
    from consult.notifications import delivery

    use_smtp(smtp_sink.port)
    email = queue_notice("lost:1")
    real_send = delivery.open_transport

    def stolen_then_send(flask_app):
        # Simulate another dispatcher taking over the row while we were slow.
        db.session.execute(
            db.update(type(email))
            .where(type(email).id == email.id)
            .values(lease_expires_at=now + timedelta(hours=1))
        )
        db.session.commit()
        return real_send(flask_app)

    monkeypatch.setattr(delivery, "open_transport", stolen_then_send)
    report = deliver_outbox(now=now)
    assert report.sent == 1  # the message went out...
    stored = _reload(email)
    assert stored.status == "sending"  # ...but the other sender's claim stands
    assert stored.lease_expires_at == now + timedelta(hours=1)


def test_without_mail_server_messages_become_eml_files(app, now, queue_notice, caplog):
    assert not app.config["MAIL_SERVER"]
    email = queue_notice("file:1", to="siti@example.my")

    with caplog.at_level("INFO", logger="consult.notifications.transport"):
        report = deliver_outbox(now=now)

    assert report.sent == 1
    mail_dir = app.instance_path + "/mail"
    import pathlib

    [path] = list(pathlib.Path(mail_dir).glob("*.eml"))
    assert path.name == f"{now:%Y%m%dT%H%M%SZ}-{email.id}.eml"
    content = path.read_bytes()
    assert f"Message-ID: {email.message_id}".encode() in content.replace(b"\r\n ", b" ")
    assert b"To: siti@example.my" in content
    assert str(path) in caplog.text
    assert _reload(email).status == "sent"


def test_nothing_due_means_no_connection(app, now, stalling_server, use_smtp):
    use_smtp(stalling_server, timeout=1)
    started = time.monotonic()
    report = deliver_outbox(now=now)
    assert report.claimed == 0
    assert time.monotonic() - started < 0.5


def test_non_ascii_calendar_is_sent_as_8bit_not_encoded(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Réunion à Petaling Jaya\r\nEND:VCALENDAR\r\n"
    queue_notice(
        "invite:utf8",
        attachments=[
            EmailAttachment("invite.ics", CALENDAR_TYPE, ics.encode(), "alternative")
        ],
    )
    deliver_outbox(now=now)
    [received] = smtp_sink.handler.received
    assert ics.encode() in received.content
    [_plain, _html, calendar] = received.message.get_payload()
    assert calendar["Content-Transfer-Encoding"] == "8bit"


def test_a_batch_stops_before_its_lease_runs_out(
    app, now, smtp_sink, use_smtp, queue_notice
):
    """Messages not reached in time go back unattempted, before anyone could resend."""
    import asyncio

    use_smtp(smtp_sink.port)
    app.config["OUTBOX_LEASE_SECONDS"] = 1  # work budget: 0.8 s
    handler = smtp_sink.handler
    original = handler.handle_DATA

    async def slow_data(server, session, envelope):
        await asyncio.sleep(1)
        return await original(server, session, envelope)

    handler.handle_DATA = slow_data
    emails = [queue_notice(f"slow:{n}", to=f"p{n}@example.org") for n in range(3)]

    report = deliver_outbox(now=now)

    assert (report.claimed, report.sent) == (3, 1)
    first, *rest = (_reload(e) for e in emails)
    assert first.status == "sent"
    for email in rest:
        assert (email.status, email.attempts, email.next_attempt_at) == (
            "queued",
            0,
            now,
        )


def test_no_user_text_reaches_the_headers(app, now, smtp_sink, use_smtp, queue_notice):
    use_smtp(smtp_sink.port)
    queue_notice(
        "inject:1",
        subject="Hello\r\nBcc: victim@example.org",
        to_name='Eve"\r\nX-Evil: 1',
    )
    deliver_outbox(now=now)
    [received] = smtp_sink.handler.received
    msg = received.message
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert received.rcpt_tos == ["ana@example.org"]
    assert msg["Subject"] == "Hello Bcc: victim@example.org"
