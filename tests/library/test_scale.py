"""At 50,000 entries the search runs on the full-text index, not a scan.

The planner's choice is checked with EXPLAIN on a bulk-filled, ANALYZEd table;
no timings (bench/library_search.py measures those).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from consult.extensions import db
from consult.library import search_index
from consult.library.services import LibraryQuery
from consult.library.services.search import search_library, search_statements

ROWS = 50_000
WORDS = [
    "compost", "repair", "reuse", "refill", "deposit", "solar", "transit", "water",
    "timber", "concrete", "textile", "battery", "sharing", "market", "kitchen",
    "bicycle", "rain", "school", "library", "workshop", "plastic",
]  # fmt: skip


def _sql(statement) -> str:
    return str(
        statement.compile(
            dialect=db.session.get_bind().dialect,
            compile_kwargs={"literal_binds": True},
        )
    )


def _fill_postgresql(event_id: int) -> None:
    words = "ARRAY[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
    db.session.execute(
        text(
            f"""
            INSERT INTO library_entries (source, event_id, title, summary, body,
                results, period, organisation, links, city, country, category,
                is_expert, published_at, created_at, updated_at)
            SELECT 'resource', :event_id,
                'Entry ' || i || ' ' || ({words})[1 + i % 20],
                'About ' || ({words})[1 + (i / 20) % 20] || ' in town ' || i % 97,
                repeat('Lorem ipsum dolor sit amet ', 5) || ({words})[1 + (i / 7) % 20],
                '', '', '', '', 'City ' || i % 50, 'MY', 'other', false,
                now() - make_interval(mins => i), now(), now()
            FROM generate_series(1, {ROWS}) AS i
            """
        ),
        {"event_id": event_id},
    )
    # A rare word: a handful of rows, the case where an index matters most.
    db.session.execute(
        text(
            "UPDATE library_entries SET title = title || ' plastic'"
            " WHERE id IN (SELECT id FROM library_entries ORDER BY id LIMIT 40)"
        )
    )
    db.session.commit()
    db.session.execute(text("ANALYZE library_entries"))
    db.session.execute(text("ANALYZE events"))
    db.session.commit()


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_postgresql_search_uses_the_gin_index(backend, lib_event):
    if backend != "postgresql":
        pytest.skip("PostgreSQL plan")
    _fill_postgresql(lib_event.id)
    for q in ("plastic", "compost repair", "plastics packaging"):
        ids, count = search_statements(LibraryQuery(q=q))
        for statement in (ids, count):
            plan = db.session.scalar(text("EXPLAIN (FORMAT JSON) " + _sql(statement)))
            nodes = list(_nodes(plan[0]["Plan"]))
            assert any(
                n.get("Index Name") == search_index.VECTOR_INDEX for n in nodes
            ), (q, json.dumps(plan, indent=1))
            assert not any(
                n["Node Type"] == "Seq Scan"
                and n.get("Relation Name") == "library_entries"
                for n in nodes
            ), (q, json.dumps(plan, indent=1))
    page = search_library(LibraryQuery(q="plastic"))
    assert page.total == 40


def test_sqlite_search_uses_the_fts5_index(backend, lib_event, now):
    if backend != "sqlite":
        pytest.skip("SQLite plan")
    rows = [
        {
            "event_id": lib_event.id,
            "title": f"Entry {i} {WORDS[i % 20]}" + (" plastic" if i < 40 else ""),
            "summary": f"About {WORDS[(i // 20) % 20]}",
            "published_at": now,
        }
        for i in range(ROWS)
    ]
    db.session.execute(
        text(
            "INSERT INTO library_entries (source, event_id, title, summary, body,"
            " results, period, organisation, links, city, country, category,"
            " is_expert, published_at, created_at, updated_at) VALUES ('resource',"
            " :event_id, :title, :summary, '', '', '', '', '', '', 'MY', 'other', 0,"
            " :published_at, :published_at, :published_at)"
        ),
        rows,
    )
    db.session.commit()
    ids, _ = search_statements(LibraryQuery(q="plastic"))
    plan = db.session.execute(text("EXPLAIN QUERY PLAN " + _sql(ids))).all()
    details = [row[-1] for row in plan]
    assert any(
        search_index.FTS_TABLE in d and "VIRTUAL TABLE INDEX" in d for d in details
    ), details
    assert not any(
        d == "SCAN library_entries" or d.startswith("SCAN library_entries ")
        for d in details
    ), details
    assert search_library(LibraryQuery(q="plastic")).total == 40
