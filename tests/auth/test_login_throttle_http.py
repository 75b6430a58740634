"""Issue 16 review: the per-account throttle over HTTP cannot be raced, spelled
around, or turned against the owner's password reset."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from tests.auth.helpers import logged_in_user_id

PASSWORD = "correct horse battery"  # make_user's


@pytest.fixture
def limited_app(other_app, organiser):
    db.session.commit()
    return other_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="100 per hour",
        LOGIN_EMAIL_RATE_LIMIT="3 per hour",
    )


def _login(app, email, password, address):
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code, client


def _reset_emails() -> list[str]:
    db.session.rollback()
    rows = db.session.scalars(
        select(OutboundEmail.recipient).where(
            OutboundEmail.template == "password_reset"
        )
    ).all()
    db.session.rollback()
    return list(rows)


def test_guesses_sent_at_once_from_a_new_address_get_one_answer(limited_app):
    for n in range(3):
        assert (
            _login(limited_app, "organiser@example.org", "x", f"203.0.113.{n}")[0]
            == 200
        )
    statuses, barrier = [], threading.Barrier(8)

    def guess():
        barrier.wait()
        statuses.append(
            _login(limited_app, "organiser@example.org", "y", "192.0.2.77")[0]
        )

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One password check; the rest refused before any was counted.
    assert sorted(statuses) == [200] + [429] * 7


def test_another_spelling_of_the_address_is_the_same_count(limited_app):
    for _ in range(3):
        assert (
            _login(limited_app, "organiser@example.org", "x", "203.0.113.9")[0] == 200
        )
    client = limited_app.test_client()
    refused = client.post(
        "/auth/login",
        data={"email": "organiser@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert refused.status_code == 429
    # Told when to come back: within the account limit's window of an hour.
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    for spelling in ("organiser@ＥＸＡＭＰＬＥ.org", "organiser@example\u3002org"):
        assert _login(limited_app, spelling, "x", "203.0.113.9")[0] == 429


def test_the_owner_logs_in_twice_from_one_place_during_an_attack(
    limited_app, organiser
):
    owner_id = organiser.id
    db.session.rollback()  # hold no SQLite lock while the app answers
    for n in range(3):
        _login(limited_app, "organiser@example.org", "x", f"203.0.113.{n}")
    for _ in range(2):
        status, browser = _login(
            limited_app, "organiser@example.org", PASSWORD, "198.51.100.20"
        )
        assert status == 302
        assert logged_in_user_id(browser) == str(owner_id)


def test_strangers_cannot_stop_the_owner_asking_for_a_reset(limited_app, clock):
    def ask(address):
        # A second apart: requests in the same second share one email.
        clock.shift(1)
        return (
            limited_app.test_client()
            .post(
                "/auth/reset",
                data={"email": "organiser@example.org"},
                environ_base={"REMOTE_ADDR": address},
            )
            .status_code
        )

    assert [ask(f"203.0.113.{n}") for n in range(4)] == [302] * 4
    # The owner is answered as anyone is; the account's emails stop at its
    # limit (the owner has those links already), nobody is refused for it.
    assert ask("198.51.100.20") == 302
    assert _reset_emails() == ["organiser@example.org"] * 3
    # One address asking again and again is refused at the account's limit.
    assert [ask("192.0.2.5") for _ in range(4)] == [302, 302, 302, 429]
