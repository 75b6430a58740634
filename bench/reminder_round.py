"""A round of reminders: N confirmed registrants, one reminder each, queued and sent.

The scheduler's two jobs as they run in production, timed from the moment
the reminder falls due: ``enqueue_due_reminders`` (decides who is due and
queues their messages) and the outbox job (``drain_outbox``: batch after
batch, composing and sending) until the queue is empty, against an aiosmtpd
sink in its own process on 127.0.0.1 (the one the dispatch figure uses). The
event has N confirmed registrants in three time zones and one enabled plan
item, the reminder one day before the start; the clock is the moment it fell
due plus the time spent. Target (issue 28): 10,000 people queued and handed
to the SMTP server within 3 minutes on PostgreSQL.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from pathlib import Path

import dataset
from common import make_app
from dispatch_bench import _free_port, _start_sink
from sqlalchemy import func, insert, select

ROUND_SLUG = "reminder-round-benchmark"
ZONES = ("Asia/Kuala_Lumpur", "Europe/Berlin", "America/New_York")


def _event(now, people: int):
    """The round's event, its plan (only the one-day reminder on), N confirmed."""
    from consult.events.models import Event
    from consult.extensions import db
    from consult.notifications.reminders.plans import ensure_default_plan
    from consult.registration.models import Registration
    from consult.registration.services.seats import ensure_stakeholder_types

    demo = db.session.scalar(select(Event).where(Event.slug == dataset.DEMO_SLUG))
    start = now + timedelta(days=1, hours=2)
    event = Event(
        slug=ROUND_SLUG,
        title="Reminder round benchmark",
        summary="A synthetic event whose registrants all get one reminder at once.",
        description_md=demo.description_md,
        host_city="Petaling Jaya",
        host_country="Malaysia",
        topics=list(demo.topics or []),
        timezone="Asia/Kuala_Lumpur",
        start_at=start,
        end_at=start + timedelta(hours=2),
        join_url="https://meet.example.org/round",
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=start,
        status="published",
        owner_id=demo.owner_id,
        created_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=30),
        published_at=now - timedelta(days=30),
    )
    db.session.add(event)
    db.session.flush()
    types = ensure_stakeholder_types(event)
    chosen = None
    for item in ensure_default_plan(event, now=now):
        wanted = item.anchor == "start" and item.offset_minutes == -24 * 60
        item.enabled = wanted and item.audience == "confirmed" and chosen is None
        if item.enabled:
            chosen = item
    if chosen is None:
        raise RuntimeError(
            "the default plan has no one-day reminder for confirmed people"
        )
    registered = now - timedelta(days=20)
    rows = [
        {
            "event_id": event.id,
            "stakeholder_type_id": types[n % len(types)].id,
            "role": "attendee",
            "status": "confirmed",
            "status_reason": "",
            "full_name": f"Round Participant {n}",
            "email": f"round-{n}@example.org",
            "country": "MY",
            "timezone": ZONES[n % len(ZONES)],
            "answers": {},
            "privacy_notice_version": "1",
            "privacy_consented_at": registered,
            "manage_nonce": secrets.token_urlsafe(24),
            "created_at": registered,
            "updated_at": registered,
            "confirmed_at": registered,
        }
        for n in range(people)
    ]
    for first in range(0, people, dataset.CHUNK):
        db.session.execute(
            insert(Registration.__table__), rows[first : first + dataset.CHUNK]
        )
    event.confirmed_count = people
    db.session.commit()
    dataset._analyze()
    return event.id, start - timedelta(days=1)


def run(url: str, mode: dict, log_dir: Path) -> dict:
    from consult.extensions import db
    from consult.notifications.delivery import drain_outbox
    from consult.notifications.models import OutboundEmail
    from consult.notifications.reminders import enqueue_due_reminders
    from consult.timeutil import now_utc

    people = mode["round"]
    port = _free_port()
    sink = _start_sink(port, log_dir)
    app = make_app(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app.app_context():
            event_id, due = _event(now_utc(), people)
            # Nothing else queued counts here.
            db.session.execute(
                OutboundEmail.__table__.update()
                .where(OutboundEmail.status == "queued")
                .values(status="sent", sent_at=due)
            )
            db.session.commit()
            db.session.remove()
        start = time.perf_counter()
        cpu = time.process_time()
        with app.app_context():
            queued_report = enqueue_due_reminders(now=due + timedelta(seconds=1))
            db.session.remove()
        queued_s = time.perf_counter() - start
        batches = 0
        while True:
            with app.app_context():
                spent = time.perf_counter() - start
                report = drain_outbox(now=due + timedelta(seconds=1 + spent), seconds=9)
                db.session.remove()
            batches += report.batches
            if report.claimed == 0:
                break
        total_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu
        with app.app_context():
            outcome = dict(
                db.session.execute(
                    select(OutboundEmail.status, func.count())
                    .where(OutboundEmail.event_id == event_id)
                    .group_by(OutboundEmail.status)
                ).all()
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    return {
        "people": people,
        "queue_report": str(queued_report),
        "queued_s": round(queued_s, 2),
        "total_s": round(total_s, 2),
        "sent_per_s": round(outcome.get("sent", 0) / max(total_s - queued_s, 1e-9), 1),
        "cpu_s": round(cpu_s, 2),
        "batches": batches,
        "outcome": outcome,
    }
