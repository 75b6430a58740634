"""Webinar platforms: an event's meeting, and each registrant's place in it

Revision ID: e5b1c7a3d9f2
Revises: 7b75bb659c3c
Create Date: 2026-12-05 09:03:32.068235

New tables only: platform_links (an event's Jitsi room or Zoom meeting, and
its participants report) and platform_registrants (one row per registration
the platform should hold, worked through by the sync_platforms job).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5b1c7a3d9f2"
down_revision = "7b75bb659c3c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "platform_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("meeting_id", sa.String(length=200), nullable=False),
        sa.Column("shared_url", sa.String(length=1000), nullable=False),
        sa.Column("personal_links", sa.Boolean(), nullable=False),
        sa.Column("create_meeting", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_state", sa.String(length=10), nullable=False),
        sa.Column("report_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_attempts", sa.Integer(), nullable=False),
        sa.Column("report_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_error", sa.Text(), nullable=False),
        sa.Column("report_csv", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('room', 'meeting', 'webinar')",
            name=op.f("ck_platform_links_kind"),
        ),
        sa.CheckConstraint(
            "platform IN ('jitsi', 'zoom')", name=op.f("ck_platform_links_platform")
        ),
        sa.CheckConstraint(
            "report_state IN ('none', 'pending', 'ready', 'failed')",
            name=op.f("ck_platform_links_report_state"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'ready', 'failed')",
            name=op.f("ck_platform_links_state"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_platform_links_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"],
            ["users.id"],
            name=op.f("fk_platform_links_linked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_links")),
        sa.UniqueConstraint("event_id", name=op.f("uq_platform_links_event_id")),
    )
    op.create_table(
        "platform_registrants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("wanted", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("platform_registrant_id", sa.String(length=200), nullable=False),
        sa.Column("join_url", sa.Text(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'synced', 'failed', 'removed')",
            name=op.f("ck_platform_registrants_state"),
        ),
        sa.CheckConstraint(
            "wanted IN ('add', 'remove')", name=op.f("ck_platform_registrants_wanted")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_platform_registrants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_platform_registrants_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_registrants")),
        sa.UniqueConstraint(
            "registration_id", name=op.f("uq_platform_registrants_registration_id")
        ),
    )
    with op.batch_alter_table("platform_registrants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_platform_registrants_due", ["state", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_platform_registrants_event_id"), ["event_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("platform_registrants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_registrants_event_id"))
        batch_op.drop_index("ix_platform_registrants_due")

    op.drop_table("platform_registrants")
    op.drop_table("platform_links")
