"""Invited experts give their time zone, for the times on their pages

Their pages gave every time in the event's zone, so an expert in Berlin read
Kuala Lumpur times. Until an expert gives a zone (""), pages use the main zone
of their country, else the event's.

Revision ID: e3b5d7f9a1c2
Revises: d7a9c3e1f2b4
Create Date: 2026-12-03 09:05:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e3b5d7f9a1c2"
down_revision = "d7a9c3e1f2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("challenge_experts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "timezone", sa.String(length=64), server_default="", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("challenge_experts", schema=None) as batch_op:
        batch_op.drop_column("timezone")
