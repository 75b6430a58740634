"""Cancellation undos: an organiser's cancellation can be undone for a few minutes

Revision ID: c4e7a1d9b2f5
Revises: b8d2f4a6c1e3
Create Date: 2026-12-04 19:10:00.000000

Each row remembers what one cancellation changed (the previous status and
waiting-list place, who got the freed seat, the outbox rows it held back or
withdrew), so that undoing it within CANCEL_UNDO_SECONDS puts things back.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e7a1d9b2f5"
down_revision = "b8d2f4a6c1e3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cancellation_undos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("previous_status", sa.String(length=20), nullable=False),
        sa.Column("previous_position", sa.Integer(), nullable=True),
        sa.Column("previous_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promoted", sa.JSON(), nullable=False),
        sa.Column("held", sa.JSON(), nullable=False),
        sa.Column("withdrawn", sa.JSON(), nullable=False),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undo_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "previous_status IN ('pending', 'confirmed', 'waitlisted')",
            name=op.f("ck_cancellation_undos_previous_status"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["users.id"],
            name=op.f("fk_cancellation_undos_cancelled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_cancellation_undos_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_cancellation_undos_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation_undos")),
    )
    op.create_index(
        "ix_cancellation_undos_event_batch",
        "cancellation_undos",
        ["event_id", "batch"],
        unique=False,
    )
    op.create_index(
        op.f("ix_cancellation_undos_registration_id"),
        "cancellation_undos",
        ["registration_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(
        op.f("ix_cancellation_undos_registration_id"), table_name="cancellation_undos"
    )
    op.drop_index("ix_cancellation_undos_event_batch", table_name="cancellation_undos")
    op.drop_table("cancellation_undos")
