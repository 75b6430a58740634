"""Report notes: the organisers' key findings and next steps, one row per saved version

Revision ID: c3a7e5f9b2d4
Revises: c4e7a1d9b2f5
Create Date: 2026-12-04 19:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3a7e5f9b2d4"
down_revision = "c4e7a1d9b2f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dashboard_report_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("key_findings", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_by_name", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_dashboard_report_notes_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["users.id"],
            name=op.f("fk_dashboard_report_notes_saved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_report_notes")),
        sa.UniqueConstraint(
            "event_id", "number", name=op.f("uq_dashboard_report_notes_event_id_number")
        ),
    )
    with op.batch_alter_table("dashboard_report_notes") as batch:
        batch.create_index(
            batch.f("ix_dashboard_report_notes_event_id"), ["event_id"], unique=False
        )


def downgrade():
    op.drop_table("dashboard_report_notes")
