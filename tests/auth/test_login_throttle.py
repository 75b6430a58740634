"""Per-account login throttling and the owner's alert, without HTTP.

The counters live in the rate limiter's storage (memory here; Redis with
several workers, see test_rate_limit_workers.py), the alert in the outbox.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.auth import services, throttle
from consult.extensions import db
from consult.notifications.models import OutboundEmail


@pytest.fixture
def limited(other_app):
    """A request context of an app with login limits of 3 per hour."""
    app = other_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="20 per hour",
        LOGIN_EMAIL_RATE_LIMIT="3 per hour",
    )
    with app.test_request_context():
        yield app


def _alerts():
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboundEmail).where(OutboundEmail.template == "login_failures")
        )
    )


def test_only_addresses_that_failed_are_refused_past_the_limit(limited):
    account = throttle.account_key(" Organiser@Example.org ")
    assert account == "organiser@example.org"
    bursts = [throttle.record_failure(account, "203.0.113.1") for _ in range(2)]
    assert bursts == [None, None]
    # Under the account's limit nobody is refused, not even the failing address.
    assert not throttle.refused(account, "203.0.113.1")
    burst = throttle.record_failure(account, "203.0.113.2")
    assert burst == throttle.Burst(failures=3, addresses=2, window_seconds=3600)
    assert throttle.refused(account, "203.0.113.1")
    assert throttle.refused(account, "203.0.113.2")
    assert not throttle.refused(account, "198.51.100.7")
    # Another account is not affected.
    assert not throttle.refused("other@example.org", "203.0.113.1")
    # A fresh address that fails is refused from then on; the tally goes on.
    burst = throttle.record_failure(account, "198.51.100.7")
    assert burst == throttle.Burst(failures=4, addresses=3, window_seconds=3600)
    assert throttle.refused(account, "198.51.100.7")


def test_nothing_is_counted_when_rate_limits_are_off(app):
    with app.test_request_context():
        for _ in range(5):
            assert throttle.record_failure("a@example.org", "203.0.113.1") is None
        assert not throttle.refused("a@example.org", "203.0.113.1")


def test_alert_is_queued_once_per_window_with_the_counts(app, organiser, now):
    for failures in (10, 11, 12):
        services.alert_failed_logins(
            "Organiser@example.org",
            failures=failures,
            addresses=4,
            window_seconds=900,
            now=now + timedelta(seconds=failures),
        )
    db.session.commit()
    (alert,) = _alerts()
    assert alert.recipient == "organiser@example.org"
    assert alert.subject == "Failed attempts to log in to your Consult account"
    body = alert.body_text
    assert "with a wrong password 10 times from 4 network addresses" in body
    assert "in the 15 minutes up to" in body and "UTC" in body
    assert "Your password still works" in body
    assert "http://localhost/auth/password" in body
    assert "http://localhost/auth/reset" in body

    # The next window gets its own message.
    services.alert_failed_logins(
        "organiser@example.org",
        failures=10,
        addresses=1,
        window_seconds=900,
        now=now + timedelta(minutes=15),
    )
    db.session.commit()
    assert len(_alerts()) == 2


def test_no_alert_for_unknown_or_inactive_accounts(app, make_user, now):
    make_user("gone@example.org").active = False
    db.session.commit()
    for email in ("nobody@example.org", "gone@example.org", "not an address"):
        services.alert_failed_logins(
            email, failures=10, addresses=1, window_seconds=900, now=now
        )
    db.session.commit()
    assert _alerts() == []


def test_concurrent_alerts_queue_one_email(app, backend, organiser, now):
    if backend != "postgresql":
        pytest.skip("real concurrent connections: PostgreSQL")
    workers = 6
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def fail_burst(n: int):
        try:
            # Its own app context: its own session and database connection.
            with app.app_context():
                start.wait(10)
                services.alert_failed_logins(
                    "organiser@example.org",
                    failures=10 + n,
                    addresses=2,
                    window_seconds=900,
                    now=now,
                )
                db.session.commit()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=fail_burst, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(_alerts()) == 1
