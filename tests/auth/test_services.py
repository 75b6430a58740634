"""Account services, called without HTTP."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from consult.auth import services
from consult.auth.models import User
from consult.auth.passwords import verify_password
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.auth.helpers import NEW_PASSWORD, PASSWORD


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("alice@example.org", "alice@example.org"),
        ("  Alice@Example.ORG  ", "alice@example.org"),
        ("BOB.SMITH+consult@EXAMPLE.org", "bob.smith+consult@example.org"),
        ("\tcarol@example.org\n", "carol@example.org"),
    ],
)
def test_normalise_email_accepts_and_normalises(app, raw, expected):
    assert services.normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        "alice",
        "alice@",
        "@example.org",
        "a b@example.org",
        "alice@localhost",
        "alice@@example.org",
        "alice@example..org",
    ],
)
def test_normalise_email_refuses_invalid_addresses(app, raw):
    with pytest.raises(ValidationFailed) as caught:
        services.normalise_email(raw)
    assert caught.value.field == "email"
    assert "email address" in caught.value.message


def test_create_user_stores_normalised_email_and_hash(app, now):
    user = services.create_user(
        " New.Person@Example.ORG ", PASSWORD, name="New Person", now=now
    )
    assert user.id is not None  # flushed
    db.session.commit()
    stored = db.session.scalar(
        select(User).where(User.email == "new.person@example.org")
    )
    assert stored is user
    assert stored.role == "organiser"
    assert stored.name == "New Person"
    assert stored.password_hash != PASSWORD
    assert verify_password(stored.password_hash, PASSWORD)
    assert stored.password_changed_at == now


def test_create_user_does_not_commit(app, now):
    services.create_user("draft@example.org", PASSWORD, now=now)
    db.session.rollback()
    assert services.find_user_by_email("draft@example.org") is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 10 characters"),
        ("password123", "common password"),
        ("1234567890", "common password"),
        ("newperson@example.org", "too easy to guess"),
    ],
)
def test_create_user_refuses_weak_passwords(app, now, password, reason):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user("newperson@example.org", password, now=now)
    assert caught.value.field == "password"
    assert reason in caught.value.message


def test_create_user_refuses_duplicate_email_in_any_case(app, now, organiser):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(" ORGANISER@example.org", NEW_PASSWORD, now=now)
    assert caught.value.field == "email"
    assert "already exists" in caught.value.message


def test_create_user_refuses_bad_email_and_unknown_role(app, now):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user("not-an-address", PASSWORD, now=now)
    assert caught.value.field == "email"
    with pytest.raises(ValidationFailed) as caught:
        services.create_user("x@example.org", PASSWORD, role="superuser", now=now)
    assert caught.value.field == "role"


def test_authenticate_with_right_password_records_login(app, now, organiser):
    user = services.authenticate(" Organiser@Example.org ", PASSWORD, now=now)
    assert user is organiser
    assert user.last_login_at == now


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("organiser@example.org", "wrong password here"),
        ("organiser@example.org", ""),
        ("nobody@example.org", PASSWORD),
        ("not an address", PASSWORD),
    ],
)
def test_authenticate_refuses_wrong_password_or_unknown_user(
    app, now, organiser, email, password
):
    assert services.authenticate(email, password, now=now) is None
    assert organiser.last_login_at is None


def test_authenticate_refuses_inactive_user(app, now, organiser):
    organiser.active = False
    db.session.commit()
    assert services.authenticate("organiser@example.org", PASSWORD, now=now) is None


def test_authenticate_upgrades_an_outdated_hash(app, now, organiser):
    organiser.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(
        PASSWORD
    )
    db.session.commit()
    old_hash = organiser.password_hash
    assert services.authenticate("organiser@example.org", PASSWORD, now=now)
    assert organiser.password_hash != old_hash
    assert verify_password(organiser.password_hash, PASSWORD)


def test_change_password_checks_current_and_policy(app, now, organiser):
    with pytest.raises(ValidationFailed) as caught:
        services.change_password(organiser, "not my password", NEW_PASSWORD, now=now)
    assert caught.value.field == "current_password"
    with pytest.raises(ValidationFailed) as caught:
        services.change_password(organiser, PASSWORD, "password123", now=now)
    assert caught.value.field == "password"

    services.change_password(organiser, PASSWORD, NEW_PASSWORD, now=now)
    assert verify_password(organiser.password_hash, NEW_PASSWORD)
    assert organiser.password_changed_at == now
