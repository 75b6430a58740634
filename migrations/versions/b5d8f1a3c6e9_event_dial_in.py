"""Dial-in numbers and an access code on events

Revision ID: b5d8f1a3c6e9
Revises: b5d8f0a2c4e6
Create Date: 2026-12-04 08:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d8f1a3c6e9"
down_revision = "b5d8f0a2c4e6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "dial_in_numbers",
                sa.JSON(),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "dial_in_code", sa.String(length=32), server_default="", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("dial_in_code")
        batch_op.drop_column("dial_in_numbers")
