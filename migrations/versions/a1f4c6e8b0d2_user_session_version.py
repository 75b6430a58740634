"""Users: a session version, bumped at logout, that every session cookie carries

Revision ID: a1f4c6e8b0d2
Revises: e3b5d7f9a1c2
Create Date: 2026-12-03 12:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1f4c6e8b0d2"
down_revision = "e3b5d7f9a1c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "session_version", sa.Integer(), server_default="0", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
