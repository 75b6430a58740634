"""Accounts for organisers, admins, experts and facilitators. Participants have none."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.signing import keyed_digest
from consult.timeutil import UTCDateTime, now_utc

# A facilitator account reaches only the facilitator pages of the events it
# was invited to (consult.facilitators); it organises nothing.
ROLES = ("organiser", "admin", "expert", "facilitator")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('organiser', 'admin', 'expert', 'facilitator')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="organiser")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session's id: raising it (at logout) ends all of the
    # account's sessions and remember-me cookies, in every browser.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The language of the messages sent to this account (one of LANGUAGES);
    # None: the site's default (consult.i18n.recipient_locale).
    language: Mapped[str | None] = mapped_column(String(20))

    def get_id(self) -> str:
        """Flask-Login's session id: the user id plus a password fingerprint.

        Sessions are signed cookies the server cannot revoke one by one; tying
        them to the password and the session version means a password change
        or reset, or a logout, ends them in every browser, remember-me cookies
        included.
        """
        return f"{self.id}:{self.session_fingerprint()}"

    def session_fingerprint(self) -> str:
        material = f"{self.session_version or 0}|{self.password_hash or ''}"
        return keyed_digest(material, length=16)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_organise(self) -> bool:
        return self.role in ("organiser", "admin")

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
