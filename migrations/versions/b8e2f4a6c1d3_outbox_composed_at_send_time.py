"""Outbox: messages composed by the sender (composer, params, registration), withdrawn status; events: registration_version

Revision ID: b8e2f4a6c1d3
Revises: a1f4c6e8b0d2
Create Date: 2026-12-03 20:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8e2f4a6c1d3"
down_revision = "a1f4c6e8b0d2"
branch_labels = None
depends_on = None

OLD_STATUS = "status IN ('queued', 'sending', 'sent', 'failed', 'expired')"
NEW_STATUS = "status IN ('queued', 'sending', 'sent', 'failed', 'expired', 'withdrawn')"

emails = sa.table(
    "outbound_emails",
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("composed_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbound_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbound_emails_status"), NEW_STATUS)
        batch_op.add_column(
            sa.Column("composer", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("registration_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("composed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("body_text", server_default="")
        batch_op.alter_column("body_html", server_default="")
        batch_op.create_index(
            batch_op.f("ix_outbound_emails_registration_id"),
            ["registration_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbound_emails_registration_id_registrations"),
            "registrations",
            ["registration_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "registration_version", sa.Integer(), server_default="0", nullable=False
            )
        )
    # Every message queued so far was composed when it was queued.
    op.execute(emails.update().values(composed_at=emails.c.created_at))


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("registration_version")
    # Messages still waiting to be composed cannot be kept without their text.
    op.execute("DELETE FROM outbound_emails WHERE composed_at IS NULL")
    op.execute("UPDATE outbound_emails SET status = 'failed' WHERE status = 'withdrawn'")
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbound_emails_registration_id_registrations"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_outbound_emails_registration_id"))
        batch_op.alter_column("body_html", server_default=None)
        batch_op.alter_column("body_text", server_default=None)
        batch_op.drop_column("composed_at")
        batch_op.drop_column("registration_id")
        batch_op.drop_column("params")
        batch_op.drop_column("composer")
        batch_op.drop_constraint(batch_op.f("ck_outbound_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbound_emails_status"), OLD_STATUS)
