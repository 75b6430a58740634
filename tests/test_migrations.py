"""The migrations build the whole schema, and it matches the models."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.engine import make_url

from consult.data_versions import trigger_names
from consult.extensions import db
from consult.library.search_index import include_name
from consult.registration.waiting_counters import TRIGGER_NAMES
from tests.conftest import make_app, require_postgres


def _assert_upgrade_matches_models(database_url: str, instance_dir) -> None:
    app = make_app(database_url, instance_dir)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": include_name}
            )
            diff = compare_metadata(context, db.metadata)
            inspector = inspect(conn)
            tables = {
                t for t in inspector.get_table_names() if include_name(t, "table", {})
            }
            # Alembic's compare ignores CHECK constraints; compare their names.
            in_database = {
                (t, c["name"])
                for t in tables
                for c in inspector.get_check_constraints(t)
            }
            triggers = _trigger_names(conn)
        db.engine.dispose()
    # The waiting-list counters' triggers: on SQLite a later batch migration
    # of registrations would drop them with the table it rebuilds.
    assert set(TRIGGER_NAMES) <= triggers
    # Likewise the triggers that move each event's data version.
    assert set(trigger_names()) <= triggers
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    in_models = {
        (t.name, c.name)
        for t in db.metadata.sorted_tables
        for c in t.constraints
        if isinstance(c, CheckConstraint)
    }
    assert in_models == in_database


def _trigger_names(conn) -> set[str]:
    if conn.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return set(conn.execute(text(query)).scalars())


def test_upgrade_builds_the_schema_on_an_empty_sqlite_file(tmp_path):
    _assert_upgrade_matches_models(
        "sqlite:///" + str(tmp_path / "fresh.db"), tmp_path / "instance"
    )


@pytest.fixture
def empty_postgres_database():
    """A brand-new PostgreSQL database, dropped afterwards."""
    base = make_url(require_postgres())
    name = f"consult_migr_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_builds_the_schema_on_an_empty_postgresql_database(
    empty_postgres_database, tmp_path
):
    _assert_upgrade_matches_models(empty_postgres_database, tmp_path / "instance")


def _insert_filled(conn, table_name: str, **values) -> int:
    """Insert one row, giving every required column a plain value of its type."""
    from sqlalchemy import MetaData, Table
    from sqlalchemy import types as sqltypes

    from tests.clock import FIXED_NOW

    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.primary_key or column.nullable:
            continue
        if column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, sqltypes.Boolean):
            row[column.name] = False
        elif isinstance(kind, sqltypes.Integer):
            row[column.name] = 0
        elif isinstance(kind, sqltypes.DateTime | sqltypes.Date):
            row[column.name] = FIXED_NOW.replace(tzinfo=None)
        elif isinstance(kind, sqltypes.LargeBinary):
            row[column.name] = b"x"
        else:
            row[column.name] = f"{column.name}-1"
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


def test_sqlite_table_rebuilds_keep_the_rows_that_reference_them(tmp_path):
    # Batch mode rebuilds a SQLite table to add or drop a column; with foreign
    # keys on, dropping the old copy cascaded to every referencing row (the
    # outbox's 'retryable' column cost queued invites their .ics part).
    from flask_migrate import upgrade as upgrade_to

    app = make_app("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "instance")
    with app.app_context():
        upgrade_to(revision="658a38dab4ec")
        with db.engine.begin() as conn:
            email = _insert_filled(conn, "outbound_emails", status="queued")
            _insert_filled(
                conn, "outbound_attachments", email_id=email, disposition="attachment"
            )
        upgrade_to()
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM outbound_attachments"))
            assert kept.scalar() == 1
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
