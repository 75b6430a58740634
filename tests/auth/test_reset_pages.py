"""Password reset over HTTP, from the request to the new password."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from consult.auth import services
from consult.extensions import db
from consult.timeutil import now_utc
from tests.auth.helpers import NEW_PASSWORD, PASSWORD, logged_in_user_id

SAME_ANSWER = "If an account exists for that address"


def reset_path_from(email_row) -> str:
    match = re.search(r"https?://\S+/auth/reset/\S+", email_row.body_text)
    assert match, email_row.body_text
    url = match.group(0)
    assert f'href="{url}"' in email_row.body_html
    return urlsplit(url).path


def test_reset_end_to_end(app, client, outbox, organiser):
    response = client.post(
        "/auth/reset", data={"email": " Organiser@Example.org"}, follow_redirects=True
    )
    assert SAME_ANSWER in response.get_data(as_text=True)
    (email,) = outbox()
    assert email.recipient == "organiser@example.org"
    assert email.template == "password_reset"
    assert email.status == "queued"
    assert "Reset your Consult password" in email.subject
    path = reset_path_from(email)
    assert email.body_text.count("http://localhost/auth/reset/") == 1

    page = client.get(path).get_data(as_text=True)
    assert 'autocomplete="new-password"' in page
    response = client.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(organiser.id)

    db.session.expire_all()
    assert (
        services.authenticate("organiser@example.org", PASSWORD, now=now_utc()) is None
    )
    assert services.authenticate("organiser@example.org", NEW_PASSWORD, now=now_utc())

    # The link was spent by the change: opening or posting it again is refused.
    client.post("/auth/logout")
    again = client.post(
        path,
        data={
            "password": "yet another passphrase",
            "confirm": "yet another passphrase",
        },
        follow_redirects=True,
    )
    assert "already been used" in again.get_data(as_text=True)
    db.session.expire_all()
    assert services.authenticate("organiser@example.org", NEW_PASSWORD, now=now_utc())


def test_unknown_email_gets_the_same_page_and_no_email(client, outbox, organiser):
    known = client.post(
        "/auth/reset", data={"email": "organiser@example.org"}, follow_redirects=True
    )
    unknown = client.post(
        "/auth/reset", data={"email": "stranger@example.org"}, follow_redirects=True
    )
    assert unknown.status_code == known.status_code == 200
    assert SAME_ANSWER in unknown.get_data(as_text=True)
    assert unknown.get_data() == known.get_data()
    assert [e.recipient for e in outbox()] == ["organiser@example.org"]


def test_inactive_account_gets_no_email(client, outbox, organiser):
    organiser.active = False
    db.session.commit()
    response = client.post(
        "/auth/reset", data={"email": "organiser@example.org"}, follow_redirects=True
    )
    assert SAME_ANSWER in response.get_data(as_text=True)
    assert outbox() == []


def test_malformed_address_is_flagged_next_to_the_field(client, outbox):
    page = client.post("/auth/reset", data={"email": "not-an-address"}).get_data(
        as_text=True
    )
    assert 'id="email-error"' in page
    assert "valid email address" in page
    assert outbox() == []


def test_expired_link_is_refused(app, client, organiser):
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    token = services.make_reset_token(
        organiser, now=now_utc() - timedelta(seconds=max_age + 5)
    )
    response = client.get(f"/auth/reset/{token}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "expired" in page
    assert 'name="password"' not in page  # back on the "send me a link" page
    assert 'name="email"' in page


def test_tampered_link_is_refused(app, client, organiser):
    token = services.make_reset_token(organiser, now=now_utc())
    response = client.post(
        f"/auth/reset/{token}x",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "not valid" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_new_password_problems_are_shown_next_to_the_fields(app, client, organiser):
    token = services.make_reset_token(organiser, now=now_utc())
    path = f"/auth/reset/{token}"
    weak = client.post(path, data={"password": "password123", "confirm": "password123"})
    page = weak.get_data(as_text=True)
    assert 'id="password-error"' in page and "common password" in page

    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": "other"})
    page = mismatch.get_data(as_text=True)
    assert 'id="confirm-error"' in page and "do not match" in page
    assert logged_in_user_id(client) is None


def test_link_uses_server_name_not_the_host_header(app, client, outbox, organiser):
    app.config["SERVER_NAME"] = "consult.example.org"
    app.config["PREFERRED_URL_SCHEME"] = "https"
    client.post(
        "/auth/reset",
        data={"email": "organiser@example.org"},
        headers={"Host": "evil.example"},
    )
    (email,) = outbox()
    assert "https://consult.example.org/auth/reset/" in email.body_text
    assert "evil.example" not in email.body_text + email.body_html
    path = reset_path_from(email)
    assert client.get(path).status_code == 200


def test_link_uses_the_configured_scheme_behind_a_tls_proxy(
    app, client, outbox, organiser
):
    """Behind a TLS-terminating proxy the app sees plain http requests."""
    app.config["SERVER_NAME"] = "consult.example.org"
    app.config["PREFERRED_URL_SCHEME"] = "https"
    client.post(
        "/auth/reset",
        data={"email": "organiser@example.org"},
        base_url="http://consult.example.org",
    )
    (email,) = outbox()
    assert "https://consult.example.org/auth/reset/" in email.body_text
    assert "http://consult.example.org" not in email.body_text
