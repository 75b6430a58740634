"""Organiser controls over scheduled messages: pause per event, opt-out per registration, List-Unsubscribe per email

Revision ID: c6e1a9d4f7b2
Revises: b8e2f4a6c1d3
Create Date: 2026-12-03 23:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c6e1a9d4f7b2"
down_revision = "b8e2f4a6c1d3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("messages_paused_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("messages_paused_by_id", sa.Integer(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_events_messages_paused_by_id_users"),
            "users",
            ["messages_paused_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("messages_opted_out_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "list_unsubscribe",
                sa.String(length=500),
                server_default="",
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_column("list_unsubscribe")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("messages_opted_out_at")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_events_messages_paused_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("messages_paused_by_id")
        batch_op.drop_column("messages_paused_at")
