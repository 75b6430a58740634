"""A city, hosting events and owning one action plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc


class City(db.Model):
    __tablename__ = "cities"
    __table_args__ = (
        CheckConstraint(
            "population IS NULL OR population >= 0", name="population_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # IANA zone of the city's local dates (milestones fall due on its
    # calendar); taken from the first event that named the city.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The city's record, kept by organisers (consult/programmes): the
    # region it belongs to ("South-East Asia"), its population, and the
    # account that represents it.
    region: Mapped[str] = mapped_column(String(120), default="", server_default="")
    population: Mapped[int | None] = mapped_column(Integer)
    representative_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    representative = relationship("User")

    def __repr__(self) -> str:
        return f"<City {self.slug}>"
