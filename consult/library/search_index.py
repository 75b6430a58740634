"""The library's full-text index, one per database engine.

PostgreSQL: a stored generated ``tsvector`` column (``search_vector``) with a
GIN index. Title weighs most (A), then summary, organisation and city (B),
then body and results (C); ``ts_rank_cd`` uses those weights.

SQLite: an FTS5 table over the same columns using ``library_entries`` as its
external content, kept in step by triggers, so every write path (ORM, bulk
insert, ON DELETE CASCADE from an event) updates the index. The ``porter``
tokenizer stems English words like PostgreSQL's ``english`` configuration does.

Neither object is on the SQLAlchemy metadata (neither engine could create the
other's), so the same DDL is attached to the table's ``after_create`` and
``before_drop`` events for ``db.create_all()`` and written in the migration.
``include_name`` hides them from Alembic's model comparison.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

TABLE = "library_entries"
FTS_TABLE = "library_entries_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_library_entries_search_vector"

# Column -> PostgreSQL weight; the FTS5 columns follow the same order, and
# FTS5_WEIGHTS gives bm25() the matching emphasis.
WEIGHTED_COLUMNS = (
    ("title", "A"),
    ("summary", "B"),
    ("organisation", "B"),
    ("city", "B"),
    ("body", "C"),
    ("results", "C"),
)
FTS5_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 1.0}


def _pg_vector_expression() -> str:
    parts = []
    for weight in ("A", "B", "C"):
        columns = [name for name, w in WEIGHTED_COLUMNS if w == weight]
        text = " || ' ' || ".join(f"coalesce({name}, '')" for name in columns)
        parts.append(
            f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"
        )
    return " || ".join(parts)


POSTGRESQL_CREATE = (
    f"ALTER TABLE {TABLE} ADD COLUMN {VECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_pg_vector_expression()}) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON {TABLE} USING gin ({VECTOR_COLUMN})",
)
POSTGRESQL_DROP = (f"DROP INDEX IF EXISTS {VECTOR_INDEX}",)

_FTS_COLUMNS = ", ".join(name for name, _ in WEIGHTED_COLUMNS)
_NEW_VALUES = ", ".join(f"new.{name}" for name, _ in WEIGHTED_COLUMNS)
_OLD_VALUES = ", ".join(f"old.{name}" for name, _ in WEIGHTED_COLUMNS)
_DELETE_OLD = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD_VALUES});"
)
_INSERT_NEW = (
    f"INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW_VALUES});"
)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"{_FTS_COLUMNS}, content='{TABLE}', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_insert AFTER INSERT ON {TABLE} "
    f"BEGIN {_INSERT_NEW} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_delete AFTER DELETE ON {TABLE} "
    f"BEGIN {_DELETE_OLD} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_update AFTER UPDATE ON {TABLE} "
    f"BEGIN {_DELETE_OLD} {_INSERT_NEW} END",
    # Index rows already in the table (none on a fresh schema).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def statements_for(dialect_name: str, *, drop: bool = False) -> tuple[str, ...]:
    """The DDL that creates (or drops) the search index on one engine."""
    if dialect_name == "postgresql":
        return POSTGRESQL_DROP if drop else POSTGRESQL_CREATE
    if dialect_name == "sqlite":
        return SQLITE_DROP if drop else SQLITE_CREATE
    return ()


def include_name(name, type_, parent_names) -> bool:
    """Alembic ``include_name`` hook: leave the search index out of comparisons.

    Use in migrations/env.py and in tests comparing the schema with the models.
    """
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "column":
        return not (parent_names.get("table_name") == TABLE and name == VECTOR_COLUMN)
    if type_ == "index":
        return name != VECTOR_INDEX
    return True


def attach(table) -> None:
    """Create the index with the table under ``metadata.create_all()``."""
    for dialect_name in ("postgresql", "sqlite"):
        for statement in statements_for(dialect_name):
            event.listen(
                table,
                "after_create",
                DDL(statement.replace("%", "%%")).execute_if(dialect=dialect_name),
            )
        for statement in statements_for(dialect_name, drop=True):
            event.listen(
                table,
                "before_drop",
                DDL(statement).execute_if(dialect=dialect_name),
            )
