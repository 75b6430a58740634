"""Waiting-list counters on the event row (size and last position), kept by triggers on registrations

Revision ID: c2e4a6b8d0f1
Revises: 5a7c3e91d2b4
Create Date: 2026-12-04 16:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

from consult.registration.waiting_counters import RECOUNT, statements

# revision identifiers, used by Alembic.
revision = "c2e4a6b8d0f1"
down_revision = "5a7c3e91d2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("waiting_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("waitlist_tail", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_events_waiting_counters"),
            "waiting_count >= 0 AND waitlist_tail >= 0",
        )
    op.execute(RECOUNT)
    for statement in statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for name in ("registrations_waiting_insert", "registrations_waiting_update",
                 "registrations_waiting_delete"):  # fmt: skip
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON registrations")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS registrations_waiting_counters()")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_events_waiting_counters"), type_="check")
        batch_op.drop_column("waitlist_tail")
        batch_op.drop_column("waiting_count")
