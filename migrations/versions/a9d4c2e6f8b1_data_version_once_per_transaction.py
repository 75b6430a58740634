"""Each event's data version moves once per transaction on PostgreSQL

Revision ID: a9d4c2e6f8b1
Revises: f3b7d1e5a9c2
Create Date: 2026-12-05 00:05:00.000000

The deferred triggers of ``consult/data_versions.py`` bumped the counter for
every changed row at the commit: a registration bumped it three times, and a
transaction changing 50,000 rows updated the same row 50,000 times. Their
functions now bump it once per event and transaction (a transaction-local
setting remembers it); the triggers themselves are unchanged. SQLite keeps
its immediate per-row triggers.
"""

from alembic import op

from consult import data_versions

# revision identifiers, used by Alembic.
revision = "a9d4c2e6f8b1"
down_revision = "f3b7d1e5a9c2"
branch_labels = None
depends_on = None


def _define(*, once: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in data_versions.function_statements(once=once):
        op.execute(statement)


def upgrade():
    _define(once=True)


def downgrade():
    _define(once=False)
