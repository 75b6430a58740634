"""queue_email: rendering, validation, dedup and the caller's transaction."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from consult.database import write_intent
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.mime import EmailAttachment, message_id_for
from consult.notifications.models import OutboundEmail
from consult.notifications.services import heartbeat, queue_email

NOTICE = {
    "heading": "Agenda <updated> & moved",
    "paragraphs": ["The dialogue now starts at 16:30 Kuala Lumpur time."],
    "greeting_name": "Siti",
    "action_url": "https://consult.example/events/designing-circular-cities-malaysia",
    "action_label": "See the agenda",
}


def _queue(now, key="notice:1", **kwargs):
    values = {
        "template": "notice",
        "to": "siti@example.my",
        "subject": "Agenda updated",
        "context": NOTICE,
        "dedup_key": key,
        "now": now,
    }
    values.update(kwargs)
    return queue_email(**values)


def test_renders_text_and_html_bodies(app, now, outbox):
    email = _queue(now)
    db.session.commit()

    [stored] = outbox()
    assert stored.id == email.id
    assert stored.status == "queued" and stored.attempts == 0
    assert stored.next_attempt_at == now
    assert "Hello Siti," in stored.body_text
    # Plain text is not escaped; HTML is.
    assert "Agenda <updated> & moved" in stored.body_text
    assert "Agenda &lt;updated&gt; &amp; moved" in stored.body_html
    assert "<updated>" not in stored.body_html
    assert NOTICE["action_url"] in stored.body_text
    assert f'href="{NOTICE["action_url"]}"' in stored.body_html
    assert stored.template == "notice"


def test_same_dedup_key_returns_the_existing_row(app, now, outbox):
    first = _queue(now)
    db.session.commit()
    second = _queue(now, subject="Something else", to="other@example.org")
    db.session.commit()

    assert second.id == first.id
    assert [e.subject for e in outbox()] == ["Agenda updated"]


def test_same_dedup_key_twice_in_one_transaction(app, now, outbox):
    first = _queue(now)
    second = _queue(now)
    db.session.commit()
    assert first is second
    assert len(outbox()) == 1


def test_rollback_of_the_callers_transaction_leaves_no_mail(app, now, outbox):
    _queue(now)
    db.session.rollback()
    assert outbox() == []


def test_queue_email_flushes_but_does_not_commit(app, now, outbox):
    _queue(now)
    # Visible to the caller's own transaction, not yet to anyone else.
    assert len(outbox()) == 1
    # A read-only transaction, so SQLite does not queue it behind our writer.
    with write_intent(False), db.engine.connect() as other:
        count = other.scalar(select(func.count()).select_from(OutboundEmail))
    assert count == 0
    db.session.rollback()


def test_message_id_is_stable_and_has_no_colon_on_the_left(app, now):
    key = "reminder:12:345"
    email = _queue(now, key=key)
    expected = message_id_for(key, app.config["MAIL_DEFAULT_SENDER"])
    assert email.message_id == expected
    assert email.message_id == message_id_for(key, app.config["MAIL_DEFAULT_SENDER"])
    left, _, domain = email.message_id.strip("<>").partition("@")
    assert ":" not in left
    assert re.fullmatch(r"[0-9a-f]{64}", left)
    assert domain == "localhost"  # from the default sender no-reply@localhost
    assert message_id_for("reminder:12:346", "x@consult.example") != message_id_for(
        key, "x@consult.example"
    )


def test_subject_and_name_lose_line_breaks_and_are_bounded(app, now):
    email = _queue(
        now,
        subject="Agenda\r\nBcc: victim@example.org\nupdated " + "x" * 400,
        to_name="Siti\r\nX-Injected: 1",
    )
    assert "\r" not in email.subject and "\n" not in email.subject
    assert email.subject.startswith("Agenda Bcc: victim@example.org updated")
    assert len(email.subject) <= 200
    assert email.recipient_name == "Siti X-Injected: 1"


def test_recipient_is_normalised(app, now):
    email = _queue(now, to="  Siti@Example.MY ")
    assert email.recipient == "Siti@example.my"


@pytest.mark.parametrize(
    "to",
    [
        "",
        "not-an-address",
        "a@example.org, b@example.org",
        "a@example.org;b@example.org",
        "Siti <siti@example.my>",
        "siti@example.my\r\nBcc: x@example.org",
    ],
)
def test_one_valid_recipient_is_required(app, now, outbox, to):
    with pytest.raises(ValidationFailed):
        _queue(now, to=to)
    assert outbox() == []


def test_bad_template_name_is_refused(app, now):
    with pytest.raises(ValueError):
        _queue(now, template="../base")


def test_attachments_are_stored(app, now, outbox):
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    _queue(
        now,
        attachments=[
            EmailAttachment(
                "invite.ics",
                "text/calendar; method=REQUEST; charset=UTF-8",
                ics,
                "alternative",
            ),
            EmailAttachment("agenda.pdf", "application/pdf", b"%PDF-1.4"),
        ],
    )
    db.session.commit()
    [email] = outbox()
    assert [(a.filename, a.disposition) for a in email.attachments] == [
        ("invite.ics", "alternative"),
        ("agenda.pdf", "attachment"),
    ]
    assert email.attachments[0].content == ics


@pytest.mark.parametrize(
    "attachment",
    [
        EmailAttachment("a.pdf", "application/pdf", b"x", "alternative"),
        EmailAttachment("a.pdf", "application/pdf", b"x", "inline"),
        EmailAttachment("a.pdf\r\nX: y", "application/pdf", b"x"),
    ],
)
def test_bad_attachments_are_refused(app, now, attachment):
    with pytest.raises(ValueError):
        _queue(now, attachments=[attachment])


def test_heartbeat_upserts(app, now):
    from consult.notifications.models import SchedulerHeartbeat

    heartbeat("deliver_outbox", now=now)
    db.session.commit()
    heartbeat("deliver_outbox", now=now, status="error", error="boom")
    db.session.commit()
    [row] = db.session.scalars(select(SchedulerHeartbeat)).all()
    assert (row.job, row.last_status, row.last_error) == (
        "deliver_outbox",
        "error",
        "boom",
    )
    assert row.pid > 0


def test_concurrent_same_key_keeps_both_transactions_usable(app, backend, now):
    """Two transactions queue the same key at once: one row, no error, both commit."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers before they can race")
    first_flushed = threading.Event()
    results: dict[str, object] = {}

    def first():
        with app.app_context():
            results["first"] = _queue(now, key="race:1").id
            first_flushed.set()
            threading.Event().wait(0.5)  # let the second one block on our key
            db.session.commit()

    def second():
        with app.app_context():
            first_flushed.wait(5)
            heartbeat("second-caller", now=now)  # the caller's own work
            results["second"] = _queue(now, key="race:1", subject="Other").id
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert results["first"] == results["second"]
    rows = db.session.scalars(select(OutboundEmail)).all()
    assert [r.subject for r in rows] == ["Agenda updated"]
    from consult.notifications.models import SchedulerHeartbeat

    assert db.session.get(SchedulerHeartbeat, "second-caller") is not None
