"""Email dispatch: the outbox dispatcher against plain smtplib, same messages, same sink.

N copies of a real queued message (a registration confirmation with its
calendar invite, taken from the surge) are queued with distinct recipients,
dedup keys and Message-IDs. The ceiling is a plain script: it builds each
message with the standard library's EmailMessage (text, HTML alternative, the
same attachment) and sends it with smtplib over one connection: no database,
no bookkeeping. A second, stricter figure ("wire only") sends the
dispatcher's exact bytes, built beforehand and not timed. Consult runs its dispatcher (`deliver_outbox`, batches of
OUTBOX_BATCH_SIZE) until the queue is empty. Both talk to the same aiosmtpd
sink (a separate process that accepts and discards) on 127.0.0.1.
"""

from __future__ import annotations

import smtplib
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

from common import make_app
from sqlalchemy import func, insert, select, update


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_sink(port: int, log_dir: Path) -> subprocess.Popen:
    log = open(log_dir / "smtp-sink.log", "ab")  # noqa: SIM115  (the sink's log)
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
         "-l", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as smtp:
                smtp.noop()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the SMTP sink did not start")


def _queue(count: int, now, tag: str) -> None:
    from consult.extensions import db
    from consult.notifications.models import OutboundAttachment, OutboundEmail

    emails, attachments = OutboundEmail.__table__, OutboundAttachment.__table__
    template = (
        db.session.execute(
            select(emails)
            .where(emails.c.template.like("%confirmed%"))
            .order_by(emails.c.id.desc())
        ).first()
        or db.session.execute(select(emails).order_by(emails.c.id)).first()
    )
    parts = db.session.execute(
        select(attachments).where(attachments.c.email_id == template.id)
    ).all()
    base = {c.name: template._mapping[c.name] for c in emails.columns if c.name != "id"}
    if template.composed_at is None:
        # A registration's email is composed by the sender: this figure sends
        # ready texts, so the copies get the text the sender would compose.
        from consult.notifications.composers import compose

        composed = compose(db.session.get(OutboundEmail, template.id), now=now)
        base.update(
            composer="",
            subject=composed.subject,
            body_text=composed.body_text,
            body_html=composed.body_html,
            composed_at=now,
        )
        parts = [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "disposition": a.disposition,
                "content": a.content,
            }
            for a in composed.attachments
        ]
    else:
        parts = [dict(part._mapping) for part in parts]
    # Whatever the rest of the run queued is not part of this figure.
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == "queued")
        .values(status="sent", sent_at=now)
    )
    rows = []
    for n in range(count):
        rows.append(
            {
                **base,
                "dedup_key": f"bench-dispatch:{tag}:{n}",
                "message_id": f"<bench-dispatch.{tag}.{n}@example.org>",
                "recipient": f"dispatch-{n}@example.org",
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now - timedelta(seconds=1),
                "lease_expires_at": None,
                "send_before": None,
                "sent_at": None,
                "last_error": "",
            }
        )
    ids = []
    for start in range(0, count, 2000):
        result = db.session.execute(
            insert(emails).returning(emails.c.id, sort_by_parameter_order=True),
            rows[start : start + 2000],
        )
        ids.extend(result.scalars())
    if parts:
        copies = []
        for email_id in ids:
            for part in parts:
                values = {k: v for k, v in part.items() if k != "id"}
                values["email_id"] = email_id
                copies.append(values)
        for start in range(0, len(copies), 2000):
            db.session.execute(insert(attachments), copies[start : start + 2000])
    db.session.commit()


def _queue_to_compose(count: int, now, tag: str) -> None:
    """``count`` confirmations as a registration queues them: for the sender to compose.

    They name the surge's confirmed registrations in turn (each composed from
    the database, with its manage link and calendar invite).
    """
    from consult.extensions import db
    from consult.notifications.models import OutboundEmail
    from consult.registration.models import Registration

    emails = OutboundEmail.__table__
    registrations = db.session.execute(
        select(Registration.id, Registration.email, Registration.full_name)
        .where(Registration.status == "confirmed", Registration.email.isnot(None))
        .order_by(Registration.id)
        .limit(300)
    ).all()
    event_id = db.session.scalar(
        select(Registration.event_id).where(Registration.id == registrations[0].id)
    )
    rows = []
    for n in range(count):
        registration = registrations[n % len(registrations)]
        rows.append(
            {
                "dedup_key": f"bench-compose:{tag}:{n}",
                "message_id": f"<bench-compose.{tag}.{n}@example.org>",
                "template": "registration_confirmed",
                "composer": "registration",
                "params": {"kind": "confirmed", "version": 1},
                "registration_id": registration.id,
                "event_id": event_id,
                "recipient": registration.email,
                "recipient_name": registration.full_name,
                "subject": "You are registered",
                "body_text": "",
                "body_html": "",
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now - timedelta(seconds=1),
                "created_at": now,
                "last_error": "",
                "retryable": True,
            }
        )
    for start in range(0, count, 2000):
        db.session.execute(insert(emails), rows[start : start + 2000])
    db.session.commit()


def _drain(delivery, now_utc) -> int:
    runs = 0
    while True:
        report = delivery.deliver_outbox(now=now_utc())
        runs += 1
        if not report.claimed:
            return runs


def _plain_script(rows, port: int) -> float:
    """What a plain script does: build each message with the stdlib, send it."""
    from email.message import EmailMessage

    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for row in rows:
            message = EmailMessage()
            message["From"] = row["sender"]
            message["To"] = row["recipient"]
            message["Subject"] = row["subject"]
            message["Message-ID"] = row["message_id"]
            message.set_content(row["body_text"])
            if row["body_html"]:
                message.add_alternative(row["body_html"], subtype="html")
            for name, content_type, content in row["attachments"]:
                maintype, _, subtype = content_type.partition(";")[0].partition("/")
                message.add_attachment(
                    content, maintype=maintype, subtype=subtype, filename=name
                )
            smtp.send_message(message)
    return time.perf_counter() - start


def _plain_rows(sender: str) -> list[dict]:
    from consult.extensions import db
    from consult.notifications.models import OutboundEmail

    rows = [
        {
            "sender": sender,
            "recipient": row.recipient,
            "subject": row.subject,
            "message_id": row.message_id,
            "body_text": row.body_text,
            "body_html": row.body_html,
            "attachments": [
                (a.filename, a.content_type, a.content) for a in row.attachments
            ],
        }
        for row in db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.status == "queued")
            .order_by(OutboundEmail.id)
        )
    ]
    db.session.rollback()
    return rows


def _plain_messages(now) -> list[tuple[str, str, bytes]]:
    """The queued messages exactly as the dispatcher would build them."""
    from flask import current_app

    from consult.extensions import db
    from consult.notifications.claims import parts_of
    from consult.notifications.mime import build_message
    from consult.notifications.models import OutboundEmail

    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    messages = []
    for row in db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.status == "queued")
        .order_by(OutboundEmail.id)
    ):
        parts = parts_of(row, sender)
        message = build_message(parts, date=now)
        messages.append((parseaddr(sender)[1], row.recipient, message.as_bytes()))
    db.session.rollback()
    return messages


def run(url: str, mode: dict, log_dir: Path) -> dict:
    from consult.extensions import db
    from consult.notifications import delivery
    from consult.notifications.models import OutboundEmail
    from consult.timeutil import now_utc

    count = mode["mails"]
    port = _free_port()
    sink = _start_sink(port, log_dir)
    app = make_app(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app.app_context():
            now = now_utc()
            tag = str(time.time_ns())
            _queue(count, now, tag)
            messages = _plain_messages(now)
            rows = _plain_rows(app.config["MAIL_DEFAULT_SENDER"])
            # The ceiling: a plain script building and sending the same
            # messages over one connection, no database, no bookkeeping.
            plain = _plain_script(rows, port)
            # The wire alone: the dispatcher's exact bytes, built beforehand.
            start = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                for sender, recipient, data in messages:
                    smtp.sendmail(sender, [recipient], data)
            wire = time.perf_counter() - start
            # Consult: the dispatcher, batch after batch, until the queue is empty.
            start_cpu = time.process_time()
            start = time.perf_counter()
            runs = _drain(delivery, now_utc)
            ours = time.perf_counter() - start
            ours_cpu = time.process_time() - start_cpu
            sent = db.session.scalar(
                select(func.count()).where(
                    OutboundEmail.dedup_key.like(f"bench-dispatch:{tag}:%"),
                    OutboundEmail.status == "sent",
                )
            )
            # The same number of registration emails queued as a registration
            # queues them: the dispatcher composes each from the database.
            _queue_to_compose(count, now_utc(), tag)
            start = time.perf_counter()
            start_cpu = time.process_time()
            _drain(delivery, now_utc)
            composed = time.perf_counter() - start
            composed_cpu = time.process_time() - start_cpu
            composed_sent = db.session.scalar(
                select(func.count()).where(
                    OutboundEmail.dedup_key.like(f"bench-compose:{tag}:%"),
                    OutboundEmail.status == "sent",
                )
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    return {
        "messages": count,
        "message_bytes": len(messages[0][2]) if messages else 0,
        "wire_only_s": round(wire, 2),
        "wire_only_per_s": round(count / wire, 1),
        "ratio_to_wire_only": round(wire / ours, 3),
        "plain_smtplib_s": round(plain, 2),
        "plain_smtplib_per_s": round(count / plain, 1),
        "consult_s": round(ours, 2),
        "consult_cpu_s": round(ours_cpu, 2),
        "consult_per_s": round(count / ours, 1),
        "dispatcher_runs": runs,
        "all_sent": sent == count,
        "ratio": round(plain / ours, 3),
        "composed_s": round(composed, 2),
        "composed_cpu_s": round(composed_cpu, 2),
        "composed_per_s": round(count / composed, 1),
        "composed_ratio": round(plain / composed, 3),
        "composed_all_sent": composed_sent == count,
    }
