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


def _fail(account: str, address: str):
    attempt = throttle.admit(account, address)
    assert attempt is not None
    return throttle.record_failure(attempt)


def test_only_addresses_that_failed_are_refused_past_the_limit(limited):
    account = throttle.account_key(" Organiser@Example.org ")
    assert account == "organiser@example.org"
    assert [_fail(account, "203.0.113.1") for _ in range(2)] == [None, None]
    # Under the account's limit nobody is refused, not even the failing address.
    assert throttle.admit(account, "203.0.113.1") is not None
    burst = _fail(account, "203.0.113.2")
    assert burst == throttle.Burst(failures=3, addresses=2, window_seconds=3600)
    assert throttle.admit(account, "203.0.113.1") is None
    assert throttle.admit(account, "203.0.113.2") is None
    # Another account is not affected.
    assert throttle.admit("other@example.org", "203.0.113.1") is not None
    # A fresh address gets one try, taken before the password is checked: a
    # second request from it at the same moment is refused.
    fresh = throttle.admit(account, "198.51.100.7")
    assert fresh is not None and fresh.claimed
    assert throttle.admit(account, "198.51.100.7") is None
    burst = throttle.record_failure(fresh)
    assert burst == throttle.Burst(failures=4, addresses=3, window_seconds=3600)
    assert throttle.admit(account, "198.51.100.7") is None


def test_the_right_password_gives_the_claimed_try_back(limited):
    account = "organiser@example.org"
    for n in range(3):
        _fail(account, f"203.0.113.{n}")
    owner = throttle.admit(account, "198.51.100.7")
    assert owner is not None and owner.claimed
    throttle.record_success(owner)
    # The owner logs out and in again from the same place in the same window.
    assert throttle.admit(account, "198.51.100.7") is not None


def test_concurrent_tries_from_one_address_past_the_limit_admit_one(limited):
    account = "organiser@example.org"
    for n in range(3):
        _fail(account, f"203.0.113.{n}")
    admitted, barrier = [], threading.Barrier(12)

    def attempt():
        with limited.test_request_context():
            barrier.wait()
            admitted.append(throttle.admit(account, "192.0.2.77") is not None)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(admitted) == [False] * 11 + [True]


@pytest.mark.parametrize(
    "spelling",
    [
        "organiser@ＥＸＡＭＰＬＥ.org",  # full-width letters
        "organiser@example\u3002org",  # an ideographic full stop
        " ORGANISER@example.org",
    ],
)
def test_every_spelling_of_an_address_shares_one_count(limited, spelling):
    assert throttle.account_key(spelling) == "organiser@example.org"


def test_an_address_that_is_no_address_still_has_a_key(limited):
    assert throttle.account_key("  Not An Address ") == "not an address"


def test_reset_mail_is_capped_per_account_without_refusing(limited):
    account = "organiser@example.org"
    assert [throttle.reset_mail_allowed(account) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert throttle.reset_mail_allowed("other@example.org")


def test_nothing_is_counted_when_rate_limits_are_off(app):
    with app.test_request_context():
        for _ in range(5):
            assert _fail("a@example.org", "203.0.113.1") is None
        assert throttle.admit("a@example.org", "203.0.113.1") is not None
        assert all(throttle.reset_mail_allowed("a@example.org") for _ in range(20))


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
