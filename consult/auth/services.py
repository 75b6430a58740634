"""Account rules: creating users, logging in, changing and resetting passwords.

Services take ``now``, never read the request or the logged-in user, flush and
never commit: the route, job or CLI command that calls them commits once.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.addresses import email_syntax
from consult.auth.models import ROLES, User
from consult.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from consult.errors import DomainError, Problems, ValidationFailed
from consult.extensions import db
from consult.languages import composing_for, is_language
from consult.links import external_url
from consult.notifications.services import queue_email
from consult.signing import BadToken, keyed_digest, load, sign


def normalise_email(raw: str | None) -> str:
    """Trim, lower-case and validate an address (syntax only, no DNS)."""
    candidate = (raw or "").strip().lower()
    if not candidate:
        raise ValidationFailed(_("Enter your email address."), field="email")
    normalised, _why = email_syntax(candidate)
    if not normalised:
        raise ValidationFailed(
            _("Enter a valid email address, like name@example.org."), field="email"
        )
    # The validator may re-encode the domain; keep the whole address lower-case
    # so that one mailbox is one account whatever case it was typed in.
    return normalised.lower()


def find_user_by_email(email: str) -> User | None:
    """The account for an already normalised address, if any."""
    return db.session.scalar(select(User).where(User.email == email))


def _check_password_policy(password: str, *, user_inputs: tuple[str, ...]) -> None:
    problems = password_problems(password, user_inputs=user_inputs)
    if problems:
        raise ValidationFailed(" ".join(problems), field="password")


def _user_inputs(email: str, name: str = "") -> tuple[str, ...]:
    # zxcvbn penalises passwords built from the person's own address or name.
    local = email.split("@", 1)[0]
    return tuple(v for v in (email, local, name) if v)


def create_user(
    email: str,
    password: str,
    *,
    role: str = "organiser",
    name: str = "",
    now: datetime,
) -> User:
    """Create an account after checking the address, duplicates and the password."""
    if role not in ROLES:
        raise ValidationFailed(_("Unknown role."), field="role")
    email = normalise_email(email)
    name = (name or "").strip()
    duplicate = ValidationFailed(
        _("An account with this email address already exists."), field="email"
    )
    if find_user_by_email(email) is not None:
        raise duplicate
    _check_password_policy(password, user_inputs=_user_inputs(email, name))
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
        password_changed_at=now,
    )
    # A concurrent request may have taken the address since the check above;
    # the savepoint keeps the outer transaction usable when the unique index says so.
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:
        raise duplicate from exc
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password, only here to spend time")


def authenticate(email: str, password: str, *, now: datetime) -> User | None:
    """The active user with this email and password, or None.

    Unknown addresses still cost one hash verification, so response times do
    not reveal which addresses have accounts.
    """
    try:
        user = find_user_by_email(normalise_email(email))
    except ValidationFailed:
        user = None
    if user is None or not user.password_hash:
        verify_password(_dummy_hash(), password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.session.flush()
    return user


def change_password(
    user: User, current_password: str, new_password: str, *, now: datetime
) -> None:
    """Replace a user's password after checking the current one."""
    check_password_change(user, current_password, new_password)
    _set_password(user, new_password, now=now)


def check_password_change(
    user: User, current_password: str | None, new_password: str | None
) -> None:
    """Every problem with a change of password (the current one, the new
    one's policy), raised together; nothing is written."""
    problems = Problems()
    if not verify_password(user.password_hash, current_password or ""):
        problems.add(_("Your current password is incorrect."), "current_password")
    problems.take(check_new_password, user, new_password)
    problems.raise_any()


def check_new_password(user: User, password: str | None) -> None:
    """The password policy for this account's new password (its own address
    and name are easy to guess)."""
    _check_password_policy(
        password or "", user_inputs=_user_inputs(user.email, user.name)
    )


def set_language(user: User, language: str | None) -> None:
    """The language of the messages to this account (one of LANGUAGES)."""
    if not is_language(language):
        raise ValidationFailed(_("Choose a language from the list."), field="language")
    user.language = language
    db.session.flush()


def _set_password(user: User, password: str, *, now: datetime) -> None:
    check_new_password(user, password)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    db.session.flush()


def end_sessions(user: User) -> None:
    """End every session of the account, in every browser (logout).

    Sessions are signed cookies; their id carries the account's session
    version (``User.get_id``), so raising it makes every cookie issued
    before, remember-me cookies too, load no user.
    """
    user.session_version = User.session_version + 1  # atomic in SQL
    db.session.flush()


# --- password reset ------------------------------------------------------------


def _fingerprint(user: User) -> str:
    """A keyed digest of what a reset link is bound to.

    Setting a new password (or changing the address) changes it, so a link
    works once. The HMAC keeps the hash itself out of the readable token.
    """
    material = f"{user.id}|{user.email}|{user.password_hash or ''}"
    return keyed_digest(material, length=32)


def make_reset_token(user: User, *, now: datetime) -> str:
    """A signed, expiring, single-use token for the reset link."""
    payload = {"uid": user.id, "fp": _fingerprint(user), "iat": int(now.timestamp())}
    return sign("password-reset", payload)


def make_invitation_token(user: User, *, now: datetime) -> str:
    """A reset token for a new account's first password: it lasts
    ACCOUNT_INVITATION_MAX_AGE and is spent like a reset link."""
    payload = {
        "uid": user.id,
        "fp": _fingerprint(user),
        "iat": int(now.timestamp()),
        "inv": 1,
    }
    return sign("password-reset", payload)


def invitation_link(user: User, *, now: datetime) -> str:
    """The link that lets an invited account choose its first password."""
    return _reset_link(make_invitation_token(user, now=now))


def check_reset_token(token: str, *, now: datetime) -> User:
    """The user a reset token belongs to, or a DomainError saying why not."""
    invalid = DomainError(
        _("This password reset link is not valid. Please request a new one.")
    )
    try:
        payload = load("password-reset", token)
    except BadToken as exc:
        raise invalid from exc
    if not isinstance(payload, dict) or not {"uid", "fp", "iat"} <= payload.keys():
        raise invalid
    # Expiry is checked against the caller's `now`, not the wall clock, so the
    # rule is the same for a request, a job and a test.
    max_age = current_app.config[
        "ACCOUNT_INVITATION_MAX_AGE" if payload.get("inv") else "PASSWORD_RESET_MAX_AGE"
    ]
    if now.timestamp() - payload["iat"] > max_age:
        raise DomainError(
            _("This password reset link has expired. Please request a new one.")
        )
    user = (
        db.session.get(User, payload["uid"])
        if isinstance(payload["uid"], int)
        else None
    )
    if user is None or not user.active:
        raise invalid
    if not hmac.compare_digest(str(payload["fp"]), _fingerprint(user)):
        raise DomainError(
            _(
                "This password reset link has already been used. "
                "Please request a new one if you still need it."
            )
        )
    return user


def reset_password(token: str, new_password: str, *, now: datetime) -> User:
    """Set a new password through a reset token; the token is spent afterwards."""
    user = check_reset_token(token, now=now)
    _set_password(user, new_password, now=now)
    return user


def _reset_link(token: str) -> str:
    # With SERVER_NAME set (required in production) Flask builds external links
    # from it, never from the request's Host header, which the client chooses:
    # a forged Host would otherwise mail the victim a token-bearing link to
    # another server.
    return external_url("auth.reset_password", token=token)


def request_password_reset(email: str, *, now: datetime) -> None:
    """Queue a reset link for an active account; do nothing for unknown addresses."""
    user = find_user_by_email(normalise_email(email))
    if user is None or not user.active:
        return
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    token = make_reset_token(user, now=now)
    with composing_for(user) as language:
        queue_email(
            template="password_reset",
            to=user.email,
            to_name=user.name,
            subject=_("Reset your Consult password"),
            context={
                "user": user,
                "reset_url": _reset_link(token),
                "valid_minutes": max(1, max_age // 60),
            },
            dedup_key=f"password-reset:{user.id}:{int(now.timestamp())}",
            now=now,
            language=language,
        )


# --- failed-login alerts ---------------------------------------------------------


def alert_failed_logins(
    email: str,
    *,
    failures: int,
    addresses: int,
    window_seconds: int,
    now: datetime,
) -> None:
    """Tell an account's owner that it sees a burst of failed logins.

    One email per account and window: the dedup key names the window of
    ``window_seconds`` that ``now`` falls in, so concurrent failures (any
    worker, any host) queue one message, and an attack that goes on gets one
    more per window. Unknown or inactive addresses get nothing.
    """
    try:
        user = find_user_by_email(normalise_email(email))
    except ValidationFailed:
        return
    if user is None or not user.active:
        return
    window = max(60, int(window_seconds))
    with composing_for(user) as language:
        queue_email(
            template="login_failures",
            to=user.email,
            to_name=user.name,
            subject=_("Failed attempts to log in to your Consult account"),
            context={
                "user": user,
                "failures": failures,
                "addresses": addresses,
                "minutes": max(1, window // 60),
                "seen_at": now,
                "change_url": external_url("auth.change_password"),
                "reset_url": external_url("auth.reset_request"),
            },
            dedup_key=f"login-failures:{user.id}:{int(now.timestamp()) // window}",
            now=now,
            language=language,
        )
