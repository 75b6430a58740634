"""Outbox: failed messages that sending again cannot cure are marked not retryable

Revision ID: c4d1e2f3a5b6
Revises: 658a38dab4ec
Create Date: 2026-12-03 08:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d1e2f3a5b6"
down_revision = "658a38dab4ec"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "retryable", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
    # Rows that already failed while being built (an internationalised address
    # before SMTPUTF8 support) are built the same way again: a retry now goes
    # through SMTPUTF8, so they stay retryable.


def downgrade():
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_column("retryable")
