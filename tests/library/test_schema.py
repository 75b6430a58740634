"""The library's search index: built by the migration and by create_all, the
same DDL in both, invisible to the model comparison, in step with the table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from consult.extensions import db
from consult.library import search_index
from consult.library.services import LibraryQuery, search_library
from tests.conftest import make_app
from tests.test_migrations import empty_postgres_database  # noqa: F401

MIGRATIONS = Path(__file__).parents[2] / "migrations" / "versions"


def _library_migration():
    (path,) = MIGRATIONS.glob("*_library.py")
    spec = importlib.util.spec_from_file_location("library_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_writes_the_same_ddl_as_create_all():
    migration = _library_migration()
    for dialect in ("postgresql", "sqlite"):
        assert migration.SEARCH_INDEX[dialect] == search_index.statements_for(dialect)
        assert migration.DROP_SEARCH_INDEX[dialect] == search_index.statements_for(
            dialect, drop=True
        )


def _upgrade_and_compare(url, instance_dir) -> tuple[list, set[str], str]:
    app = make_app(url, instance_dir)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": search_index.include_name}
            )
            diff = compare_metadata(context, db.metadata)
            names = set(inspect(conn).get_table_names())
            if conn.dialect.name == "postgresql":
                names |= set(
                    conn.scalars(
                        text(
                            "SELECT indexname FROM pg_indexes"
                            " WHERE tablename = 'library_entries'"
                        )
                    )
                )
            dialect = conn.dialect.name
        db.engine.dispose()
    return diff, names, dialect


def test_migration_on_sqlite_builds_fts5_and_matches_the_models(tmp_path):
    diff, names, _ = _upgrade_and_compare(
        "sqlite:///" + str(tmp_path / "fresh.db"), tmp_path / "instance"
    )
    assert diff == []
    assert search_index.FTS_TABLE in names


def test_migration_on_postgresql_builds_the_gin_index_and_matches_the_models(
    empty_postgres_database,  # noqa: F811
    tmp_path,
):
    diff, names, _ = _upgrade_and_compare(empty_postgres_database, tmp_path / "inst")
    assert diff == []
    assert search_index.VECTOR_INDEX in names


def test_include_name_hides_only_the_search_index():
    hide = search_index.include_name
    assert not hide("library_entries_fts", "table", {})
    assert not hide("library_entries_fts_data", "table", {})
    assert hide("library_entries", "table", {})
    assert not hide("search_vector", "column", {"table_name": "library_entries"})
    assert hide("search_vector", "column", {"table_name": "other"})
    assert hide("title", "column", {"table_name": "library_entries"})
    assert not hide("ix_library_entries_search_vector", "index", {})
    assert hide("ix_library_entries_country", "index", {})


def test_deleting_an_event_removes_its_entries_from_the_index(
    lib_event, make_resource, make_reg_event
):
    other = make_reg_event(title="Other")
    make_resource(lib_event, title="Composting in Lyon")
    make_resource(other, title="Composting in Milan")
    db.session.delete(lib_event)
    db.session.commit()
    page = search_library(LibraryQuery(q="composting"))
    assert [e.title for e in page.entries] == ["Composting in Milan"]
    if db.engine.dialect.name == "sqlite":
        # The FTS5 index holds exactly the table's rows, no stale ones.
        check = text(
            f"INSERT INTO {search_index.FTS_TABLE}({search_index.FTS_TABLE}, rank)"
            " VALUES ('integrity-check', 1)"
        )
        db.session.execute(check)
        count = db.session.scalar(
            text(
                f"SELECT count(*) FROM {search_index.FTS_TABLE}"
                f" WHERE {search_index.FTS_TABLE} MATCH 'composting'"
            )
        )
        assert count == 1
