"""Event slides and recording links; outbox messages that expire unsent

Revision ID: a585277b9fa7
Revises: 098cab469415
Create Date: 2026-11-28 18:08:53.019704

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a585277b9fa7"
down_revision = "098cab469415"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed')"
NEW_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed', 'expired')"


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "slides_url", sa.String(length=500), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "recording_url",
                sa.String(length=500),
                server_default="",
                nullable=False,
            )
        )

    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("send_before", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint(op.f("ck_outbound_emails_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outbound_emails_status"), NEW_STATUSES
        )


def downgrade():
    op.execute("UPDATE outbound_emails SET status = 'failed' WHERE status = 'expired'")
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbound_emails_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outbound_emails_status"), OLD_STATUSES
        )
        batch_op.drop_column("send_before")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("recording_url")
        batch_op.drop_column("slides_url")
