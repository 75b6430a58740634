"""Who erased a registrant's data: the organiser acting on the person's request

Revision ID: f3b7d1e5a9c2
Revises: e7a3c5d9b1f2
Create Date: 2026-12-04 22:50:00.000000

``registrations.erased_by_id``: the organiser who erased the person's data
(None when the person did it themselves). On SQLite the batch rebuilds the
table, which drops the triggers on it: they are made again.
"""

import sqlalchemy as sa
from alembic import op

from consult import data_versions
from consult.registration import waiting_counters

# revision identifiers, used by Alembic.
revision = "f3b7d1e5a9c2"
down_revision = "e7a3c5d9b1f2"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_registrations_erased_by_id_users"


def _registration_triggers_again() -> None:
    """SQLite: the triggers on registrations, after a rebuild of the table."""
    if op.get_bind().dialect.name == "postgresql":
        return
    ours = [
        *waiting_counters.statements("sqlite"),
        *(
            statement
            for statement in data_versions.statements("sqlite")
            if " ON registrations " in statement
        ),
    ]
    names = [*waiting_counters.TRIGGER_NAMES]
    names += [
        n for n in data_versions.trigger_names() if n.startswith("registrations_")
    ]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in ours:
        op.execute(statement)


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f(FOREIGN_KEY),
            "users",
            ["erased_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _registration_triggers_again()


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(FOREIGN_KEY), type_="foreignkey")
        batch_op.drop_column("erased_by_id")
    _registration_triggers_again()
