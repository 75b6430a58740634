"""Creating, listing, revoking and recognising personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from consult.api.models import SCOPES, ApiToken
from consult.errors import NotFound, Problems
from consult.extensions import db
from consult.text import clean_text

# A token's secret: this prefix (so leaked tokens are recognisable by secret
# scanners) and 32 random bytes.
SECRET_PREFIX = "cst_"
MAX_DAYS = 366
# last_used_at is written at most this often, so reads stay reads.
TOUCH_SECONDS = 60


@dataclass
class NewToken:
    """A token just created: its row and its secret, shown once."""

    token: ApiToken
    secret: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def check_token(name: str, scopes: list[str], days: int | None) -> tuple[str, list]:
    """The cleaned name and scopes, or every problem with them together."""
    problems = Problems()
    name = problems.take(clean_text, name, "name", max_length=100, required=True)
    chosen = [scope for scope in SCOPES if scope in set(scopes or ())]
    if not chosen or len(chosen) != len(set(scopes)):
        problems.add(_("Choose at least one scope from the list."), "scopes")
    if days is not None and not 1 <= days <= MAX_DAYS:
        problems.add(
            _("A token lasts between 1 and %(max)d days.", max=MAX_DAYS), "days"
        )
    problems.raise_any()
    return name, chosen


def create_token(
    actor, name: str, scopes: list[str], days: int | None, *, now: datetime
) -> NewToken:
    """A new token of ``actor`` with these scopes, expiring after ``days``
    (None: never). The secret is returned here only."""
    name, chosen = check_token(name, scopes, days)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=name,
        scopes=chosen,
        prefix=secret[:12],
        secret_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


def tokens_of(actor) -> list[ApiToken]:
    """The actor's tokens, newest first (revoked ones too, marked)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == actor.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(actor, token_id: int, *, now: datetime) -> ApiToken:
    """Revoke one of the actor's own tokens (another's is NotFound)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()
    return token


def token_for_secret(secret: str, *, now: datetime) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, expired,
    or its owner's account deactivated)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.secret_hash == secret_hash(secret))
    )
    if token is None or not token.usable(now) or not token.user.is_active:
        return None
    return token


def touch_statement(secret: str, *, now: datetime):
    """The UPDATE that records a use of the token (at most once a minute):
    run by the API's web layer in its own short transaction, before the
    request's reads, so a GET stays a reader (consult/database.py)."""
    stale = now - timedelta(seconds=TOUCH_SECONDS)
    return (
        update(ApiToken)
        .where(
            ApiToken.secret_hash == secret_hash(secret),
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < stale),
        )
        .values(last_used_at=now)
    )
