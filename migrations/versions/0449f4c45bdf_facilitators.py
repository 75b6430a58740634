"""Facilitators: a facilitator account role, each event's facilitators, and who facilitated a registration or a ballot, by which channel

Revision ID: 0449f4c45bdf
Revises: b5d8f1a3c6e9
Create Date: 2026-12-04 08:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0449f4c45bdf"
down_revision = "b5d8f1a3c6e9"
branch_labels = None
depends_on = None

CHANNEL_CHECK = "channel IS NULL OR channel IN ('in_person', 'phone', 'paper', 'sms')"
ROLES_BEFORE = "role IN ('organiser', 'admin', 'expert')"
ROLES_AFTER = "role IN ('organiser', 'admin', 'expert', 'facilitator')"


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), ROLES_AFTER)
    op.create_table(
        "event_facilitators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_event_facilitators_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_facilitators_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_facilitators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_facilitators")),
        sa.UniqueConstraint(
            "event_id", "user_id", name=op.f("uq_event_facilitators_event_id_user_id")
        ),
    )
    with op.batch_alter_table("event_facilitators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_facilitators_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_facilitators_user_id"), ["user_id"], unique=False
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facilitated_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_registrations_facilitated_by_id"),
            ["facilitated_by_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registrations_facilitated_by_id_users"),
            "users",
            ["facilitated_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_registrations_channel"), CHANNEL_CHECK
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_registrations_facilitated_is_assisted"),
            "facilitated_by_id IS NULL OR assisted",
        )
    with op.batch_alter_table("challenge_priorities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facilitated_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_challenge_priorities_facilitated_by_id_users"),
            "users",
            ["facilitated_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_challenge_priorities_channel"), CHANNEL_CHECK
        )


def downgrade():
    with op.batch_alter_table("challenge_priorities", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_challenge_priorities_channel"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_challenge_priorities_facilitated_by_id_users"),
            type_="foreignkey",
        )
        batch_op.drop_column("channel")
        batch_op.drop_column("facilitated_by_id")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_registrations_facilitated_is_assisted"), type_="check"
        )
        batch_op.drop_constraint(batch_op.f("ck_registrations_channel"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_registrations_facilitated_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_registrations_facilitated_by_id"))
        batch_op.drop_column("channel")
        batch_op.drop_column("facilitated_by_id")
    op.drop_table("event_facilitators")
    # Facilitator accounts have no place in the older schema.
    op.execute("DELETE FROM users WHERE role = 'facilitator'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), ROLES_BEFORE)
