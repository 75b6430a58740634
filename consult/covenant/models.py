"""A city's Covenant of Mayors commitments and the plan actions serving them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

PILLARS = ("mitigation", "adaptation", "energy_access")
COMMITMENT_STATUSES = ("planned", "adopted", "in_progress", "achieved", "revised")
TITLE_MAX = 200
TARGET_MAX = 500
DESCRIPTION_MAX = 5000
# Base and target years a commitment may name: the Covenant's reference
# years start in 1990; targets run to mid-century and a little beyond.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CovenantCommitment(db.Model):
    """One commitment of a city under one pillar of the Covenant of Mayors."""

    __tablename__ = "covenant_commitments"
    __table_args__ = (
        CheckConstraint(_in("pillar", PILLARS), name="pillar"),
        CheckConstraint(_in("status", COMMITMENT_STATUSES), name="status"),
        CheckConstraint(
            "reduction_percent IS NULL OR "
            "(reduction_percent >= 0 AND reduction_percent <= 100)",
            name="reduction_percent",
        ),
        CheckConstraint(
            f"base_year IS NULL OR (base_year >= {FIRST_YEAR} "
            f"AND base_year <= {LAST_YEAR})",
            name="base_year",
        ),
        CheckConstraint(
            f"target_year IS NULL OR (target_year >= {FIRST_YEAR} "
            f"AND target_year <= {LAST_YEAR})",
            name="target_year",
        ),
        CheckConstraint(
            "base_year IS NULL OR target_year IS NULL OR target_year >= base_year",
            name="years",
        ),
        Index("ix_covenant_commitments_city_pillar", "city_id", "pillar"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"))
    pillar: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    target: Mapped[str] = mapped_column(String(TARGET_MAX), default="")
    reduction_percent: Mapped[int | None] = mapped_column(Integer)
    base_year: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    status_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    city = relationship("City")
    actions = relationship(
        "Action",
        secondary="covenant_actions",
        order_by="(Action.position, Action.id)",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<CovenantCommitment {self.id} {self.pillar}>"


class CovenantAction(db.Model):
    """An action of the city's plan that serves the commitment."""

    __tablename__ = "covenant_actions"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("covenant_commitments.id", ondelete="CASCADE"), primary_key=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
