"""Changing one's own password while logged in."""

from __future__ import annotations

from consult.auth.passwords import verify_password
from consult.extensions import db
from tests.auth.helpers import NEW_PASSWORD, PASSWORD


def test_change_password_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_change_password_page_has_the_right_autocomplete(client, login, organiser):
    login(organiser)
    page = client.get("/auth/password").get_data(as_text=True)
    assert 'name="current_password"' in page
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2


def test_change_password(client, login, organiser):
    login(organiser)
    response = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Your password has been changed." in response.get_data(as_text=True)
    assert response.request.path == "/manage/"  # still logged in here
    assert client.get("/manage/").status_code == 200
    db.session.expire_all()
    assert verify_password(organiser.password_hash, NEW_PASSWORD)


def test_wrong_current_password_is_shown_next_to_it(client, login, organiser):
    login(organiser)
    page = client.post(
        "/auth/password",
        data={
            "current_password": "not it at all",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    ).get_data(as_text=True)
    assert 'id="current_password-error"' in page
    assert "current password is incorrect" in page
    db.session.expire_all()
    assert verify_password(organiser.password_hash, PASSWORD)


def test_weak_new_password_is_refused(client, login, organiser):
    login(organiser)
    page = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "password": "1234567890",
            "confirm": "1234567890",
        },
    ).get_data(as_text=True)
    assert 'id="password-error"' in page
    db.session.expire_all()
    assert verify_password(organiser.password_hash, PASSWORD)


def test_a_password_change_ends_sessions_in_other_browsers(app, organiser, login):
    from consult.auth.services import change_password
    from consult.extensions import db
    from tests.conftest import FIXED_NOW

    other_browser = app.test_client()
    with other_browser.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    assert other_browser.get("/manage/").status_code == 200

    change_password(organiser, PASSWORD, "plum orchard lantern 42", now=FIXED_NOW)
    db.session.commit()

    response = other_browser.get("/manage/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
