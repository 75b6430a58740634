"""Covenant of Mayors commitments of a city, and the actions serving them

Revision ID: d3a7e9c1f5b2
Revises: c8f2a6d4e1b3
Create Date: 2026-12-05 06:00:00.000000

``covenant_commitments``: a city's commitments under the three pillars
(mitigation, adaptation, access to energy) with an optional reduction
percent, base and target years, a status and its date.
``covenant_actions``: the actions of the city's plan that serve each.
"""

import sqlalchemy as sa
from alembic import op

from consult.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = "d3a7e9c1f5b2"
down_revision = "d4a9e2b7c1f6"
branch_labels = None
depends_on = None

PILLARS = "pillar IN ('mitigation', 'adaptation', 'energy_access')"
STATUSES = (
    "status IN ('planned', 'adopted', 'in_progress', 'achieved', 'revised')"
)


def upgrade():
    op.create_table(
        "covenant_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("pillar", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("reduction_percent", sa.Integer(), nullable=True),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(PILLARS, name=op.f("ck_covenant_commitments_pillar")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_covenant_commitments_status")),
        sa.CheckConstraint(
            "reduction_percent IS NULL OR "
            "(reduction_percent >= 0 AND reduction_percent <= 100)",
            name=op.f("ck_covenant_commitments_reduction_percent"),
        ),
        sa.CheckConstraint(
            "base_year IS NULL OR (base_year >= 1990 AND base_year <= 2100)",
            name=op.f("ck_covenant_commitments_base_year"),
        ),
        sa.CheckConstraint(
            "target_year IS NULL OR (target_year >= 1990 AND target_year <= 2100)",
            name=op.f("ck_covenant_commitments_target_year"),
        ),
        sa.CheckConstraint(
            "base_year IS NULL OR target_year IS NULL OR target_year >= base_year",
            name=op.f("ck_covenant_commitments_years"),
        ),
        sa.ForeignKeyConstraint(
            ["city_id"],
            ["cities.id"],
            name=op.f("fk_covenant_commitments_city_id_cities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_covenant_commitments")),
    )
    op.create_index(
        "ix_covenant_commitments_city_pillar",
        "covenant_commitments",
        ["city_id", "pillar"],
        unique=False,
    )
    op.create_table(
        "covenant_actions",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_covenant_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["covenant_commitments.id"],
            name=op.f("fk_covenant_actions_commitment_id_covenant_commitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "action_id", name=op.f("pk_covenant_actions")
        ),
    )
    op.create_index(
        op.f("ix_covenant_actions_action_id"),
        "covenant_actions",
        ["action_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_covenant_actions_action_id"), table_name="covenant_actions")
    op.drop_table("covenant_actions")
    op.drop_index(
        "ix_covenant_commitments_city_pillar", table_name="covenant_commitments"
    )
    op.drop_table("covenant_commitments")
