"""Results versions: each publication of the public results is frozen as a version

Revision ID: c7e1a9d3f5b2
Revises: c6e1a9d4f7b2
Create Date: 2026-12-03 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7e1a9d3f5b2"
down_revision = "c6e1a9d4f7b2"
branch_labels = None
depends_on = None

# The threshold when versions arrived (the SMALL_GROUP_MIN default); a migrated
# version takes the setting's value when its figures are frozen.
DEFAULT_MIN_GROUP = 5


def upgrade():
    op.create_table(
        "dashboard_results_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_by_name", sa.String(length=254), nullable=False),
        sa.Column("rule_version", sa.String(length=20), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_dashboard_results_versions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_dashboard_results_versions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_results_versions")),
        sa.UniqueConstraint(
            "event_id",
            "number",
            name=op.f("uq_dashboard_results_versions_event_id_number"),
        ),
    )
    with op.batch_alter_table("dashboard_results_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dashboard_results_versions_event_id"),
            ["event_id"],
            unique=False,
        )
    # Every page already public becomes its version 1. Its figures are code
    # (the counting rule), not SQL: data stays NULL here and the first page
    # that reads the version freezes it (publication.freeze_migrated).
    op.execute(
        sa.text(
            "INSERT INTO dashboard_results_versions (event_id, number, published_at,"
            " published_by_id, published_by_name, rule_version, min_group_size, data)"
            " SELECT p.event_id, 1, p.updated_at, p.published_by_id,"
            " COALESCE(NULLIF(u.name, ''), u.email, ''), '', :threshold, NULL"
            " FROM dashboard_results_publications p"
            " LEFT JOIN users u ON u.id = p.published_by_id"
        ).bindparams(threshold=DEFAULT_MIN_GROUP)
    )


def downgrade():
    with op.batch_alter_table("dashboard_results_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dashboard_results_versions_event_id"))
    op.drop_table("dashboard_results_versions")
