"""The participant directory and meeting requests

Revision ID: d4a7e2c9b1f6
Revises: c8f2a6d4e1b3
Create Date: 2026-12-05 05:55:34.885251

New tables only: a directory profile per registration (its challenges in
directory_profile_challenges), meeting requests with their proposed slots,
blocks between two registrations, and reports of a profile to the organisers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4a7e2c9b1f6"
down_revision = "d3a7e9c1f5b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "directory_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["registrations.id"],
            name=op.f("fk_directory_blocks_blocked_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["registrations.id"],
            name=op.f("fk_directory_blocks_blocker_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_blocks")),
        sa.UniqueConstraint(
            "blocker_id",
            "blocked_id",
            name=op.f("uq_directory_blocks_blocker_id_blocked_id"),
        ),
    )
    with op.batch_alter_table("directory_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_blocks_blocked_id"), ["blocked_id"], unique=False
        )

    op.create_table(
        "directory_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("looking_for", sa.String(length=300), nullable=False),
        sa.Column("offering", sa.String(length=300), nullable=False),
        sa.Column("topics", sa.String(length=200), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_directory_profiles_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_directory_profiles_removed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_profiles")),
        sa.UniqueConstraint(
            "registration_id", name=op.f("uq_directory_profiles_registration_id")
        ),
    )
    op.create_table(
        "directory_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reported_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_directory_reports_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reported_id"],
            ["registrations.id"],
            name=op.f("fk_directory_reports_reported_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["registrations.id"],
            name=op.f("fk_directory_reports_reporter_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_reports")),
        sa.UniqueConstraint(
            "reporter_id",
            "reported_id",
            name=op.f("uq_directory_reports_reporter_id_reported_id"),
        ),
    )
    with op.batch_alter_table("directory_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_reports_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_directory_reports_reported_id"),
            ["reported_id"],
            unique=False,
        )

    op.create_table(
        "meeting_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sender_zone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("agreed_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')",
            name=op.f("ck_meeting_requests_meeting_request_status"),
        ),
        sa.CheckConstraint(
            "sender_id <> recipient_id",
            name=op.f("ck_meeting_requests_meeting_request_not_self"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_meeting_requests_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["registrations.id"],
            name=op.f("fk_meeting_requests_recipient_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["registrations.id"],
            name=op.f("fk_meeting_requests_sender_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_requests")),
    )
    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_recipient_id"),
            ["recipient_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_meeting_requests_sender_created",
            ["sender_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "directory_profile_challenges",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_directory_profile_challenges_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["directory_profiles.id"],
            name=op.f("fk_directory_profile_challenges_profile_id_directory_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "profile_id", "challenge_id", name=op.f("pk_directory_profile_challenges")
        ),
    )
    with op.batch_alter_table("directory_profile_challenges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_profile_challenges_challenge_id"),
            ["challenge_id"],
            unique=False,
        )

    op.create_table(
        "meeting_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_requests.id"],
            name=op.f("fk_meeting_slots_request_id_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_slots")),
        sa.UniqueConstraint(
            "request_id", "start_at", name=op.f("uq_meeting_slots_request_id_start_at")
        ),
    )
    with op.batch_alter_table("meeting_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_slots_request_id"), ["request_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("meeting_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_slots_request_id"))

    op.drop_table("meeting_slots")
    with op.batch_alter_table("directory_profile_challenges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_profile_challenges_challenge_id"))

    op.drop_table("directory_profile_challenges")
    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_requests_sender_created")
        batch_op.drop_index(batch_op.f("ix_meeting_requests_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_requests_event_id"))

    op.drop_table("meeting_requests")
    with op.batch_alter_table("directory_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_reports_reported_id"))
        batch_op.drop_index(batch_op.f("ix_directory_reports_event_id"))

    op.drop_table("directory_reports")
    op.drop_table("directory_profiles")
    with op.batch_alter_table("directory_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_blocks_blocked_id"))

    op.drop_table("directory_blocks")
