"""Each invited or proposing person's preferred language: proposers and their speakers, experts, city representatives

Revision ID: b5d8f0a2c4e6
Revises: a4c7e9b1d3f5
Create Date: 2026-12-04 08:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d8f0a2c4e6"
down_revision = "a4c7e9b1d3f5"
branch_labels = None
depends_on = None

# NULL: the site's default language (nobody chose one before now).
TABLES = (
    "contribution_proposals",
    "contribution_speakers",
    "contribution_city_representatives",
    "challenge_experts",
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=20), nullable=True)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
