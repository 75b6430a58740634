"""Logout ends every session of the account (issue 16, item 6)."""

from __future__ import annotations

from consult.auth.services import end_sessions
from consult.extensions import db, login_manager


def test_end_sessions_changes_the_session_id_and_the_old_one_loads_nobody(
    app, organiser
):
    old_id = organiser.get_id()
    assert login_manager._user_callback(old_id) == organiser

    end_sessions(organiser)
    db.session.commit()

    db.session.expire_all()
    assert organiser.session_version == 1
    assert organiser.get_id() != old_id
    assert login_manager._user_callback(old_id) is None
    assert login_manager._user_callback(organiser.get_id()) == organiser


def test_logout_raises_the_version_and_the_old_cookie_is_refused(
    app, client, login, organiser
):
    login(organiser)
    cookie = client.get_cookie("session")

    client.post("/auth/logout")

    db.session.expire_all()
    assert organiser.session_version == 1
    replay = app.test_client()
    replay.set_cookie("session", cookie.value, domain=cookie.domain)
    response = replay.get("/auth/password")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_logout_without_a_session_changes_nothing(client, organiser):
    response = client.post("/auth/logout")

    assert response.status_code == 302
    db.session.expire_all()
    assert organiser.session_version == 0
