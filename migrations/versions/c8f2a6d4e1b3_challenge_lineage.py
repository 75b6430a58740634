"""The same challenge across events: challenges.lineage_id

Revision ID: c8f2a6d4e1b3
Revises: b5e1c7a3d9f2
Create Date: 2026-12-05 02:00:00.000000

``challenges.lineage_id``: the first challenge of the chain a challenge
belongs to (a clone's challenges point at their source's first one; an
organiser may say a challenge is the same as one of an earlier event of the
same host city). Existing challenges start on their own. On SQLite the batch
rebuilds the table, which drops the triggers on it: they are made again.
"""

import sqlalchemy as sa
from alembic import op

from consult import data_versions

# revision identifiers, used by Alembic.
revision = "c8f2a6d4e1b3"
down_revision = "b5e1c7a3d9f2"
branch_labels = None
depends_on = None


def _challenge_triggers_again() -> None:
    """SQLite: the data-version triggers on challenges, after a rebuild."""
    if op.get_bind().dialect.name == "postgresql":
        return
    for name in data_versions.trigger_names():
        if name.startswith("challenges_"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in data_versions.statements("sqlite"):
        if " ON challenges " in statement:
            op.execute(statement)


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
    _challenge_triggers_again()


def downgrade():
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_challenges_lineage_id_challenges"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_challenges_lineage_id"))
        batch_op.drop_column("lineage_id")
    _challenge_triggers_again()
