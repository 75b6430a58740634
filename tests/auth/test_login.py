"""Log in and out over HTTP: messages, redirects, CSRF and rate limits."""

from __future__ import annotations

import pytest

from consult.extensions import db
from tests.auth.helpers import PASSWORD, csrf_token_from, logged_in_user_id


def post_login(client, email, password, query="", **extra):
    data = {"email": email, "password": password, **extra}
    return client.post("/auth/login" + query, data=data)


def test_login_page_has_labelled_email_and_password_fields(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page and 'autocomplete="email"' in page
    assert 'name="password"' in page and 'autocomplete="current-password"' in page
    assert '<label for="email">' in page and '<label for="password">' in page
    assert 'name="remember"' in page


def test_organiser_logs_in_and_lands_on_manage(client, organiser):
    response = post_login(client, " Organiser@Example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"
    assert logged_in_user_id(client) == str(organiser.id)
    assert organiser.last_login_at is not None


def test_expert_lands_on_public_events(client, expert):
    response = post_login(client, "expert@example.org", PASSWORD)
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("organiser@example.org", "not the password"),
        ("nobody@example.org", PASSWORD),
    ],
)
def test_failed_login_says_the_same_thing_either_way(
    client, organiser, email, password
):
    response = post_login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Email or password is incorrect." in page
    assert logged_in_user_id(client) is None


def test_inactive_account_cannot_log_in(client, organiser):
    organiser.active = False
    db.session.commit()
    response = post_login(client, "organiser@example.org", PASSWORD)
    assert "Email or password is incorrect." in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_missing_fields_are_flagged_next_to_them(client):
    page = post_login(client, "", "").get_data(as_text=True)
    assert 'id="email-error"' in page and 'id="password-error"' in page


def test_login_follows_a_local_next(client, organiser):
    response = post_login(
        client, "organiser@example.org", PASSWORD, query="?next=/manage/events/x"
    )
    assert response.headers["Location"] == "/manage/events/x"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\r\nLocation: https://evil.example",
        "/\t/evil.example",
        "manage/",
    ],
)
def test_login_refuses_open_redirects(client, organiser, target):
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "organiser@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"


def test_login_page_redirects_someone_already_logged_in(client, login, organiser):
    login(organiser)
    assert client.get("/auth/login").headers["Location"] == "/manage/"


def test_login_drops_whatever_was_in_the_session_before(client, organiser):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    post_login(client, "organiser@example.org", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].partition(":")[0] == str(organiser.id)


def test_remember_me_sets_a_remember_cookie(client, organiser):
    post_login(client, "organiser@example.org", PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_logout_forgets_the_remember_me_cookie(client, organiser):
    post_login(client, "organiser@example.org", PASSWORD, remember="y")
    client.post("/auth/logout")
    assert client.get_cookie("remember_token") is None
    # Without the session cookie either, nothing logs the browser back in.
    client.delete_cookie("session")
    assert client.get("/auth/password").status_code == 302
    assert logged_in_user_id(client) is None


def test_logout_needs_post(client, login, organiser):
    login(organiser)
    assert client.get("/auth/logout").status_code == 405
    assert logged_in_user_id(client) == str(organiser.id)

    response = client.post("/auth/logout", follow_redirects=True)
    assert "You have been logged out" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_login_without_csrf_token_is_refused(other_app, organiser):
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    response = post_login(client, "organiser@example.org", PASSWORD)
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None

    # The same POST with the form's token goes through.
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = post_login(client, "organiser@example.org", PASSWORD, csrf_token=token)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(organiser.id)


def test_logout_without_csrf_token_is_refused(other_app, organiser):
    user_id, session_id = str(organiser.id), organiser.get_id()
    # On SQLite the read above opened a write transaction in this test's session;
    # end it so the other app's request is not kept waiting for the lock.
    db.session.rollback()
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    assert client.post("/auth/logout").status_code == 400
    assert logged_in_user_id(client) == user_id


def limited_client(other_app, limit="3 per minute", **config):
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT=limit, **config)
    return app.test_client()


def test_login_is_rate_limited_per_ip(other_app, organiser):
    client = limited_client(other_app)
    for _ in range(3):
        assert (
            post_login(client, "organiser@example.org", "wrong guess").status_code
            == 200
        )
    limited = post_login(client, "organiser@example.org", "wrong guess")
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)

    # While limited, even the right password is refused...
    assert post_login(client, "organiser@example.org", PASSWORD).status_code == 429
    assert logged_in_user_id(client) is None
    # ...but the page itself still loads.
    assert client.get("/auth/login").status_code == 200


def test_one_account_cannot_be_hammered_from_many_ips(other_app, organiser, make_user):
    make_user("bystander@example.org")
    client = limited_client(other_app)
    for i in range(3):
        client.post(
            "/auth/login",
            data={"email": "Organiser@example.org", "password": f"guess {i}"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{i + 1}"},
        )
    # Over the account's limit, an address that failed on it is refused even
    # with the right password (it would otherwise have a free guess)...
    refused = client.post(
        "/auth/login",
        data={"email": "organiser@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert refused.status_code == 429
    assert logged_in_user_id(client) is None
    # ...a fresh address gets one guess, then is refused as well.
    fresh_ip = {"REMOTE_ADDR": "198.51.100.7"}
    guess = client.post(
        "/auth/login",
        data={"email": "organiser@example.org", "password": "guess 9"},
        environ_base=fresh_ip,
    )
    assert guess.status_code == 200
    assert "Email or password is incorrect." in guess.get_data(as_text=True)
    again = client.post(
        "/auth/login",
        data={"email": "organiser@example.org", "password": PASSWORD},
        environ_base=fresh_ip,
    )
    assert again.status_code == 429
    other_account = client.post(
        "/auth/login",
        data={"email": "bystander@example.org", "password": PASSWORD},
        environ_base=fresh_ip,
    )
    assert other_account.status_code == 302


def test_strangers_failures_do_not_lock_the_owner_out(other_app, organiser):
    client = limited_client(other_app)
    for i in range(6):
        client.post(
            "/auth/login",
            data={"email": "organiser@example.org", "password": f"guess {i}"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{i + 1}"},
        )
    response = client.post(
        "/auth/login",
        data={"email": "organiser@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(organiser.id)


def test_successful_logins_do_not_use_up_the_limit(other_app, organiser):
    client = limited_client(other_app)
    for _ in range(5):
        assert post_login(client, "organiser@example.org", PASSWORD).status_code == 302
        client.post("/auth/logout")
