"""The migrations build the whole schema, and it matches the models."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.engine import make_url

from consult.extensions import db
from consult.library.search_index import include_name
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
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    in_models = {
        (t.name, c.name)
        for t in db.metadata.sorted_tables
        for c in t.constraints
        if isinstance(c, CheckConstraint)
    }
    assert in_models == in_database


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
