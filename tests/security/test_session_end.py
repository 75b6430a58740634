"""Item 6 of issue 16: logging out ends the session, wherever it was copied.

Sessions are signed cookies: before the fix a cookie copied before logout
still opened /manage/ when replayed. Each account's session id now carries a
version that logout raises.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.auth.models import User
from consult.extensions import db
from tests.clock import FIXED_NOW
from tests.security.world import PASSWORD, _user

EMAIL = "logout-proof@example.org"


def _account() -> User:
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    if user is None:
        user = _user(EMAIL, "organiser", FIXED_NOW)
        db.session.commit()
    db.session.rollback()  # no lock held while the app answers
    return user


def _logged_in_browser(app):
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200
    return client


def _replay(app, cookies):
    """A new browser holding only the copied cookies."""
    client = app.test_client()
    for cookie in cookies:
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return client


def _to_login(response) -> bool:
    return response.status_code == 302 and "/auth/login" in response.location


def test_a_session_cookie_copied_before_logout_no_longer_opens_manage(world_app, world):
    user = _account()
    version = db.session.get(User, user.id).session_version
    db.session.rollback()
    browser = _logged_in_browser(world_app)
    other_device = _logged_in_browser(world_app)
    session_cookie = browser.get_cookie("session")
    remember_cookie = browser.get_cookie("remember_token")
    # The copy works before logout (so the test below can fail).
    assert _replay(world_app, [session_cookie]).get("/manage/").status_code == 200

    response = browser.post("/auth/logout", follow_redirects=True)
    assert "every other device" in response.get_data(as_text=True)

    for cookies in (
        [session_cookie],
        [remember_cookie],
        [session_cookie, remember_cookie],
    ):
        replayed = _replay(world_app, cookies).get("/manage/")
        assert _to_login(replayed), [c.key for c in cookies]
        assert "Events" not in replayed.get_data(as_text=True)
    # Logout from one browser ended the other one's session too.
    assert _to_login(other_device.get("/manage/"))
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == version + 1
    db.session.rollback()


def test_logging_in_again_after_logout_works(world_app, world):
    _account()
    browser = _logged_in_browser(world_app)
    browser.post("/auth/logout")

    assert _logged_in_browser(world_app).get("/manage/").status_code == 200
