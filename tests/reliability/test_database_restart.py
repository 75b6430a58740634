"""PostgreSQL drops every connection during traffic; the web tier recovers by itself.

A real `pg_ctlcluster restart` would also cut the connections of every other
test run on the server (colleagues' databases, CI's other jobs). What a
restart does to the application is end each of its connections, so that is
what this does, to the web workers' connections only (they carry their own
application_name): pg_terminate_backend on each, three times, while browsers
keep loading pages and registering.

Expected: the requests in flight at that moment may fail, with the site's own
error page and no hang; the gunicorn workers are not restarted; every request
afterwards succeeds (the pool tests a connection before reusing it:
pool_pre_ping); nothing answered as registered is missing.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import queue_email
from consult.registration.models import Registration
from consult.timeutil import now_utc
from tests.test_scheduler import SchedulerProcess

from .conftest import (
    WEB_APPLICATION_NAME,
    WORKERS,
    Browser,
    registration_form,
    require_postgresql,
    scheduler_env,
)

VISITORS = 6
TERMINATIONS = 3


def _terminate_every_connection(
    database_url: str, application_name: str = WEB_APPLICATION_NAME
) -> int:
    """End every connection of the web workers, as a server restart would.

    Each termination waits (up to 5 s) until the backend has gone, as the
    connections of a restarted server have before the next request.
    """
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = current_database() "
                        "AND application_name = :name"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        engine.dispose()


class Traffic:
    """VISITORS threads loading the event page and registering, until stopped."""

    def __init__(self, base: str, slug: str) -> None:
        self.base, self.slug = base, slug
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[str, int, str]] = []  # (kind, status, body)
        self.registered: list[str] = []
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._visit, args=(n,)) for n in range(VISITORS)
        ]

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(90)
        assert not any(t.is_alive() for t in self.threads), "a request hung"

    def count(self) -> int:
        with self.lock:
            return len(self.answers)

    def _record(self, kind: str, answer, email: str | None = None) -> None:
        with self.lock:
            self.answers.append((kind, answer.status, answer.body))
            if email and answer.status == 200:
                self.registered.append(email)

    def _visit(self, n: int) -> None:
        path = f"/events/{self.slug}/register"
        browser = Browser(self.base, timeout=30)
        i = 0
        try:
            while not self.stop.is_set():
                i += 1
                page = browser.get(f"/events/{self.slug}")
                self._record("page", page)
                form = browser.get(path)
                self._record("form", form)
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.body)
                if form.status != 200 or token is None:
                    continue
                email = f"v{n}-{i}@example.org"
                answer = browser.post(path, registration_form(token.group(1), email))
                self._record("register", answer, email)
        except BaseException as exc:  # a refused connection: a worker died
            with self.lock:
                self.errors.append(exc)


def _burst(base: str, paths: list[str]) -> Counter:
    """2 * WORKERS browsers at once, each loading every path 4 times."""
    statuses: Counter = Counter()
    lock = threading.Lock()

    def visit() -> None:
        browser = Browser(base)
        for _ in range(4):
            for path in paths:
                status = browser.get(path).status
                with lock:
                    statuses[status] += 1

    threads = [threading.Thread(target=visit) for _ in range(2 * WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_dropped_database_connections_heal_without_restarting_workers(
    request, backend, database_url, make_reg_event
):
    require_postgresql(backend, "pg_terminate_backend ends the app's connections")
    web = request.getfixturevalue("web")  # no server started for a skipped run
    real_now = now_utc()
    event = make_reg_event(
        capacity=25,
        start_at=real_now + timedelta(days=30),
        end_at=real_now + timedelta(days=30, hours=2),
        registration_closes_at=None,
    )
    slug, event_id = event.slug, event.id
    db.session.commit()
    workers = web.worker_pids()
    assert len(workers) == WORKERS

    cut = 0
    with Traffic(web.base, slug) as traffic:
        for round_ in range(1, TERMINATIONS + 1):
            _wait_for(lambda r=round_: traffic.count() >= 30 * r, 60, "traffic")
            cut += _terminate_every_connection(database_url)
        seen = traffic.count()
        _wait_for(lambda: traffic.count() >= seen + 30, 60, "traffic afterwards")

    assert not traffic.errors, traffic.errors[:3]
    assert cut >= WORKERS  # every worker had connections to lose
    statuses = Counter(status for _, status, _ in traffic.answers)
    failed = [body for _, status, body in traffic.answers if status != 200]
    # Only requests in flight when their connection was cut may fail: at most
    # one per worker and cut, each with the site's error page.
    assert set(statuses) <= {200, 500}, statuses
    assert len(failed) <= WORKERS * TERMINATIONS, statuses
    for body in failed:
        assert "Something went wrong" in body and "Traceback" not in body

    # Cut again while the workers sit idle, each with a connection in its
    # pool: no request is in flight, so none may fail (the pool tests each
    # connection before lending it). The same worker processes answer.
    assert _terminate_every_connection(database_url) >= WORKERS
    answers = _burst(web.base, [f"/events/{slug}", f"/events/{slug}/register"])
    assert answers == {200: 8 * 2 * WORKERS}, answers
    assert web.worker_pids() == workers
    assert web.process.poll() is None
    assert "WORKER TIMEOUT" not in web.log()
    assert web.log().count("Booting worker") == WORKERS

    # Nothing answered as registered is lost, and the seat counter is right.
    stored = set(
        db.session.scalars(
            select(Registration.email).where(Registration.event_id == event_id)
        )
    )
    assert set(traffic.registered) <= stored
    confirmed = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.status == "confirmed"
        )
    )
    db.session.refresh(event)
    assert event.confirmed_count == confirmed <= 25
    db.session.rollback()


@pytest.mark.slow
def test_the_scheduler_recovers_from_dropped_connections_without_restarting(
    app, backend, database_url, tmp_path, smtp
):
    """Its leader lock's connection and its jobs' pool, all cut at once."""
    require_postgresql(backend, "pg_terminate_backend ends the scheduler's connections")
    name = "consult-reliability-scheduler"
    url = f"{database_url}{'&' if '?' in database_url else '?'}application_name={name}"
    process = SchedulerProcess(
        scheduler_env(url, tmp_path, smtp.port), tmp_path / "scheduler.log"
    )
    try:
        _wait_for(lambda: "scheduler active" in process.output(), 30, "leadership")
        first = _queue_notice("before@example.org", "cut:before")
        _wait_for(lambda: _sent_to() == {"before@example.org"}, 30, "a delivery")

        assert _terminate_every_connection(database_url, name) >= 2
        second = _queue_notice("after@example.org", "cut:after")
        _wait_for(
            lambda: _sent_to() == {"before@example.org", "after@example.org"},
            30,
            "a delivery after the cut",
        )
        assert process.process.poll() is None
        _wait_for(
            lambda: process.output().count("scheduler active") == 2,
            15,
            "leadership taken again",
        )
    finally:
        process.stop()
    received = {m.rcpt_tos[0]: m for m in smtp.handler.received}
    assert len(smtp.handler.received) == 2
    assert received["before@example.org"].message["Message-ID"].strip() == first
    assert received["after@example.org"].message["Message-ID"].strip() == second


def _queue_notice(to: str, key: str) -> str:
    email = queue_email(
        template="notice",
        to=to,
        subject="Agenda updated",
        context={"heading": "Agenda updated", "paragraphs": []},
        dedup_key=key,
        now=now_utc(),
    )
    db.session.commit()
    return email.message_id


def _sent_to() -> set[str]:
    sent = set(
        db.session.scalars(
            select(OutboundEmail.recipient).where(OutboundEmail.status == "sent")
        )
    )
    db.session.rollback()
    return sent
