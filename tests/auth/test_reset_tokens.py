"""Password-reset tokens: signed, expiring, single-use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from consult.auth import services
from consult.auth.passwords import verify_password
from consult.errors import DomainError, ValidationFailed
from consult.extensions import db
from tests.auth.helpers import NEW_PASSWORD, PASSWORD


def test_token_resets_password_once(app, now, organiser):
    token = services.make_reset_token(organiser, now=now)
    user = services.reset_password(token, NEW_PASSWORD, now=now + timedelta(minutes=5))
    db.session.commit()
    assert user is organiser
    assert verify_password(organiser.password_hash, NEW_PASSWORD)
    assert not verify_password(organiser.password_hash, PASSWORD)

    with pytest.raises(DomainError, match="already been used"):
        services.reset_password(token, "another fine passphrase", now=now)


def test_token_expires_after_max_age(app, now, organiser):
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    token = services.make_reset_token(organiser, now=now)
    # Still valid at the last second...
    assert services.check_reset_token(token, now=now + timedelta(seconds=max_age))
    # ...and refused one second later.
    with pytest.raises(DomainError, match="expired"):
        services.reset_password(
            token, NEW_PASSWORD, now=now + timedelta(seconds=max_age + 1)
        )
    assert verify_password(organiser.password_hash, PASSWORD)


def test_max_age_comes_from_config(app, now, organiser):
    app.config["PASSWORD_RESET_MAX_AGE"] = 60
    token = services.make_reset_token(organiser, now=now)
    with pytest.raises(DomainError, match="expired"):
        services.check_reset_token(token, now=now + timedelta(seconds=61))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_tampered_token_is_refused(app, now, organiser, mangle):
    token = services.make_reset_token(organiser, now=now)
    with pytest.raises(DomainError, match="not valid"):
        services.check_reset_token(mangle(token), now=now)


def test_token_signed_for_another_purpose_is_refused(app, now, organiser):
    payload = {"uid": organiser.id, "fp": "x", "iat": int(now.timestamp())}
    foreign = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(
        payload
    )
    with pytest.raises(DomainError, match="not valid"):
        services.check_reset_token(foreign, now=now)


def test_token_of_deactivated_user_is_refused(app, now, organiser):
    token = services.make_reset_token(organiser, now=now)
    organiser.active = False
    db.session.commit()
    with pytest.raises(DomainError, match="not valid"):
        services.check_reset_token(token, now=now)


def test_password_change_spends_outstanding_tokens(app, now, organiser):
    token = services.make_reset_token(organiser, now=now)
    services.change_password(organiser, PASSWORD, NEW_PASSWORD, now=now)
    with pytest.raises(DomainError, match="already been used"):
        services.check_reset_token(token, now=now)


def test_weak_new_password_keeps_the_token_usable(app, now, organiser):
    token = services.make_reset_token(organiser, now=now)
    with pytest.raises(ValidationFailed) as caught:
        services.reset_password(token, "password123", now=now)
    assert caught.value.field == "password"
    db.session.rollback()
    assert services.reset_password(token, NEW_PASSWORD, now=now) is organiser
