"""The password forms report every problem of one submit: the form's own
checks (the repeated password) and the service's (the current password, the
password policy) together; nothing changes."""

from __future__ import annotations

import pytest

from consult.auth import services
from consult.auth.passwords import verify_password
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.timeutil import now_utc
from tests.auth.helpers import PASSWORD
from tests.effects import committed_row
from tests.form_summary import error_text, summary_links


def _password_kept(user) -> bool:
    stored = committed_row(type(user), user.id)
    return verify_password(stored.password_hash, PASSWORD)


def test_the_service_reports_the_current_and_the_new_password_together(organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        services.change_password(organiser, "wrong password", "short", now=now)
    assert [name for name, _m in refused.value.problems] == [
        "current_password",
        "password",
    ]
    db.session.rollback()
    assert _password_kept(organiser)


def test_one_change_submit_shows_the_form_and_service_problems(
    client, login, organiser
):
    login(organiser)
    response = client.post(
        "/auth/password",
        data={
            "current_password": "not my password",  # the service's rule
            "password": "password1",  # the service's policy: too short
            "confirm": "password2",  # the form's rule
        },
    )
    page = response.get_data(as_text=True)
    assert "Your current password is incorrect." in error_text(page, "current_password")
    assert "Use at least 10 characters." in error_text(page, "password")
    assert "The two passwords do not match." in error_text(page, "confirm")
    assert summary_links(page) == ["current_password", "password", "confirm"]
    assert _password_kept(organiser)


def test_one_reset_submit_shows_the_form_and_service_problems(client, organiser):
    token = services.make_reset_token(organiser, now=now_utc())
    response = client.post(
        f"/auth/reset/{token}",
        data={"password": "short", "confirm": "shorter"},
    )
    page = response.get_data(as_text=True)
    assert "Use at least 10 characters." in error_text(page, "password")
    assert "The two passwords do not match." in error_text(page, "confirm")
    assert summary_links(page) == ["password", "confirm"]
    assert _password_kept(organiser)


def test_a_spent_reset_link_still_sends_to_a_new_request(client, organiser):
    token = services.make_reset_token(organiser, now=now_utc())
    organiser.password_hash = "changed"  # spends the link (its fingerprint)
    db.session.commit()
    response = client.post(
        f"/auth/reset/{token}", data={"password": "short", "confirm": "x"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/reset")


def test_the_account_form_refuses_an_unknown_language(client, login, organiser):
    login(organiser)
    response = client.post("/auth/account", data={"language": "xx"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert summary_links(page) == ["language"]
    assert committed_row(type(organiser), organiser.id).language != "xx"
