"""A programme, its organisers, its template event and its city pairs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    organisers = relationship(
        "ProgrammeOrganiser",
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="ProgrammeOrganiser.id",
    )
    events = relationship(
        "Event", back_populates="programme", order_by="Event.start_at"
    )
    pairs = relationship(
        "CityPair",
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="CityPair.id",
    )
    template = relationship(
        "ProgrammeTemplate", uselist=False, cascade="all, delete-orphan"
    )

    def editable_by(self, user) -> bool:
        """Admins and the programme's organisers may edit it."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if not user.is_active:
            return False
        return user.is_admin or any(o.user_id == user.id for o in self.organisers)

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class ProgrammeOrganiser(db.Model):
    """An account that may edit the programme (admins may too)."""

    __tablename__ = "programme_organisers"
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    programme = relationship("Programme", back_populates="organisers")
    user = relationship("User")


class ProgrammeTemplate(db.Model):
    """The one event of a programme that new events are cloned from.

    A table of its own rather than a column of programmes: events already
    point at programmes, and a foreign key each way would be a cycle."""

    __tablename__ = "programme_templates"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )

    event = relationship("Event")


class CityPair(db.Model):
    """A host city and one partner city cooperating within a programme."""

    __tablename__ = "city_pairs"
    __table_args__ = (
        UniqueConstraint("programme_id", "host_city_id", "partner_city_id"),
        CheckConstraint("host_city_id <> partner_city_id", name="two_cities"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    host_city_id: Mapped[int] = mapped_column(
        ForeignKey("cities.id", ondelete="CASCADE"), index=True
    )
    partner_city_id: Mapped[int] = mapped_column(
        ForeignKey("cities.id", ondelete="CASCADE"), index=True
    )
    # The themes of their cooperation, as the organisers write them
    # ("circular economy, waste").
    themes: Mapped[str] = mapped_column(String(500), default="")

    programme = relationship("Programme", back_populates="pairs")
    host_city = relationship("City", foreign_keys=[host_city_id])
    partner_city = relationship("City", foreign_keys=[partner_city_id])
