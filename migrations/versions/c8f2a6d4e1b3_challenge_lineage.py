"""The same challenge across events: challenges.lineage_id

Revision ID: c8f2a6d4e1b3
Revises: b5e1c7a3d9f2
Create Date: 2026-12-05 02:00:00.000000

``challenges.lineage_id``: the first challenge of the chain a challenge
belongs to (a clone's challenges point at their source's first one; an
organiser may say a challenge is the same as one of an earlier event of the
same host city). Existing challenges start on their own.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c8f2a6d4e1b3"
down_revision = "b5e1c7a3d9f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lineage_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_challenges_lineage_id"), ["lineage_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_challenges_lineage_id_challenges"),
            "challenges",
            ["lineage_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_challenges_lineage_id_challenges"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_challenges_lineage_id"))
        batch_op.drop_column("lineage_id")
