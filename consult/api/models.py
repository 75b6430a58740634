"""Personal API tokens: an account's keys to /api/v1, each with its scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

# What a token may be used for; within them it does what its owner may do.
SCOPES = (
    "events:read",
    "registrations:read",
    "registrations:write",
    "results:read",
    "webhooks:manage",
)


class ApiToken(db.Model):
    """A bearer token. Only the SHA-256 of its secret is kept: the secret is
    32 random bytes, so a plain hash is enough (no salt, no slow hash), and a
    lookup by hash is one indexed query."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    # The secret's first characters, shown on the account page to tell
    # tokens apart (never enough to use one).
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Updated at most once a minute (consult/api/routes/auth.py).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")

    def usable(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} user={self.user_id}>"
