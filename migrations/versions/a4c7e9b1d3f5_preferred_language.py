"""Each person's preferred language: registrations and accounts; the language an outbox message was composed in

Revision ID: a4c7e9b1d3f5
Revises: a3d5f7b9c1e2
Create Date: 2026-12-04 03:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4c7e9b1d3f5"
down_revision = "a3d5f7b9c1e2"
branch_labels = None
depends_on = None


def upgrade():
    # NULL: the site's default language (nobody chose one before now).
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=20), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=20), nullable=True))
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language", sa.String(length=20), server_default="", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("language")
