"""Account pages commit what they change, and sign in or out as they say.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
Logging out changes no row: its effect is the session cookie.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.passwords import verify_password
from consult.notifications.models import OutboundEmail
from tests.auth.helpers import NEW_PASSWORD, PASSWORD, logged_in_user_id
from tests.auth.test_reset_pages import reset_path_from
from tests.effects import committed, committed_row


def test_login_records_the_time_and_logout_ends_the_session(client, organiser, now):
    response = client.post(
        "/auth/login", data={"email": "organiser@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(organiser.id)
    assert committed_row(User, organiser.id).last_login_at >= now

    assert client.post("/auth/logout").status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get("/manage/").status_code == 302


def test_password_change_is_committed(client, login, organiser):
    login(organiser)
    response = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert verify_password(
        committed_row(User, organiser.id).password_hash, NEW_PASSWORD
    )


def test_reset_request_and_reset_are_committed(client, organiser):
    response = client.post("/auth/reset", data={"email": "organiser@example.org"})
    assert response.status_code == 302
    (email,) = committed().scalars(
        select(OutboundEmail).where(OutboundEmail.template == "password_reset")
    )
    assert email.recipient == "organiser@example.org"

    reset = client.post(
        reset_path_from(email), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert reset.status_code == 302
    assert verify_password(
        committed_row(User, organiser.id).password_hash, NEW_PASSWORD
    )


def test_account_language_is_committed(client, login, organiser):
    login(organiser)
    response = client.post("/auth/account", data={"language": "ms"})
    assert response.status_code == 302
    assert committed_row(User, organiser.id).language == "ms"

    refused = client.post("/auth/account", data={"language": "xx"})
    assert refused.status_code == 422
    assert committed_row(User, organiser.id).language == "ms"
