"""Benchmark the public library search at 50,000 entries.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/consult_bench \\
        .venv/bin/python bench/library_search.py [--rows 50000] [--repeat 15] [--keep]

The database is brought to the current schema (migrations), then a synthetic,
clearly labelled benchmark event gets ROWS resources with deterministic
pseudo-random text. Each typical search (the same service the /library page
calls: the count, one page of ids, loading the entries) is timed REPEAT times
after one warm-up run. The figures are printed and written to
bench/results/library_search.json. The benchmark event and its entries are
removed at the end unless --keep is given. Works on SQLite URLs too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, insert, select, text  # noqa: E402

from consult import create_app  # noqa: E402
from consult.auth.models import User  # noqa: E402
from consult.categories import CATEGORIES  # noqa: E402
from consult.events.models import Event  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.library.models import LibraryEntry  # noqa: E402
from consult.library.services import (  # noqa: E402
    LibraryQuery,
    filter_options,
    search_library,
)
from consult.timeutil import now_utc  # noqa: E402

BENCH_SLUG = "library-search-benchmark"
BENCH_EMAIL = "library-benchmark@example.invalid"
RESULTS = ROOT / "bench" / "results" / "library_search.json"
BATCH = 5000

_VOCABULARY_TEXT = """
circular economy city waste plastic packaging bottle deposit refill reuse repair
compost food organic market kitchen household collection recycling sorting
informal picker cooperative school campaign municipality procurement building
construction timber concrete demolition material passport electronics battery
phone laptop take-back producer responsibility platform app sharing library
tool lending data map water energy solar mobility bicycle transit river drain
flood community neighbourhood pilot policy regulation incentive tax levy ban
bag straw cup container textile clothing fashion design durable upgrade spare
part warranty label standard training job income inclusion women youth
"""
VOCABULARY = _VOCABULARY_TEXT.split()
CITIES = [
    ("Petaling Jaya", "MY"), ("Kuala Lumpur", "MY"), ("Penang", "MY"),
    ("Utrecht", "NL"), ("Amsterdam", "NL"), ("Warsaw", "PL"), ("Lyon", "FR"),
    ("Ljubljana", "SI"), ("Milan", "IT"), ("Ghent", "BE"), ("Barcelona", "ES"),
    ("Vienna", "AT"), ("Copenhagen", "DK"), ("Tallinn", "EE"), ("Porto", "PT"),
]  # fmt: skip
# A word present in about 40 entries: the selective case an index is for.
RARE_WORD = "kombucha"

QUERIES = [
    ("newest first, no search", LibraryQuery(), 1),
    ("newest first, page 50 (the last listed)", LibraryQuery(), 50),
    ("common word (a third of entries): plastic", LibraryQuery(q="plastic"), 1),
    ("plural form: plastics", LibraryQuery(q="plastics"), 1),
    ("two words: food waste", LibraryQuery(q="food waste"), 1),
    (
        "three words: plastic bottle deposit",
        LibraryQuery(q="plastic bottle deposit"),
        1,
    ),
    (f"rare word: {RARE_WORD}", LibraryQuery(q=RARE_WORD), 1),
    ("no match: zeppelin", LibraryQuery(q="zeppelin"), 1),
    ("word + category", LibraryQuery(q="repair", category="e_waste"), 1),
    ("word + country", LibraryQuery(q="compost", country="NL"), 1),
    ("category only", LibraryQuery(category="plastics_packaging"), 1),
    ("common word, page 50 (the last listed)", LibraryQuery(q="plastic"), 50),
]


_SYLLABLE_TEXT = (
    "ka lo mi ne ru sa ti po de fa gu hi ja ke lu ma no pe ri so ta ve wi zo ba"
)
SYLLABLES = _SYLLABLE_TEXT.split()


def _long_tail(rng: random.Random, size: int = 5000) -> list[str]:
    """Made-up words for the rest of a realistic vocabulary."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class TextMaker:
    """Text where 30% of the words are the domain's (each in about a third of the
    entries) and the rest follow a Zipf-like long tail, as in real writing."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tail = _long_tail(rng)
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.tail)))
        )

    def sentence(self, words: int) -> str:
        domain = [self.rng.random() < 0.3 for _ in range(words)]
        tail = iter(self.rng.choices(self.tail, cum_weights=self.cum_weights, k=words))
        return " ".join(
            self.rng.choice(VOCABULARY) if pick else next(tail) for pick in domain
        )


def _rows(event_id: int, count: int, now):
    rng = random.Random(20261124)
    text_maker = TextMaker(rng)
    categories = list(CATEGORIES)
    for i in range(count):
        city, country = rng.choice(CITIES)
        title = text_maker.sentence(5).capitalize()
        body = ". ".join(text_maker.sentence(12) for _ in range(6))
        if i % 1250 == 0:
            body += f". A {RARE_WORD} brewing co-operative reused the jars."
        yield {
            "source": "resource",
            "event_id": event_id,
            "title": title,
            "summary": text_maker.sentence(25),
            "body": body,
            "results": text_maker.sentence(15),
            "period": "",
            "organisation": f"{city} {rng.choice(['council', 'lab', 'network'])}",
            "links": "",
            "city": city,
            "country": country,
            "category": rng.choice(categories),
            "is_expert": False,
            "published_at": now - timedelta(minutes=i),
            "created_at": now,
            "updated_at": now,
        }


def _bench_event(now) -> Event:
    owner = db.session.scalar(select(User).where(User.email == BENCH_EMAIL))
    if owner is None:
        owner = User(email=BENCH_EMAIL, name="Library benchmark", role="organiser")
        db.session.add(owner)
        db.session.flush()
    event = db.session.scalar(select(Event).where(Event.slug == BENCH_SLUG))
    if event is None:
        event = Event(
            slug=BENCH_SLUG,
            title="Library search benchmark (synthetic data)",
            timezone="UTC",
            start_at=now + timedelta(days=30),
            end_at=now + timedelta(days=30, hours=1),
            status="published",
            owner_id=owner.id,
            published_at=now,
        )
        db.session.add(event)
        db.session.flush()
    return event


def seed(rows: int) -> tuple[int, float]:
    """Replace the benchmark entries with `rows` new ones; returns (event id, seconds)."""
    now = now_utc()
    event = _bench_event(now)
    db.session.execute(delete(LibraryEntry).where(LibraryEntry.event_id == event.id))
    db.session.commit()
    started = time.perf_counter()
    batch = []
    for row in _rows(event.id, rows, now):
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(LibraryEntry.__table__), batch)
            batch = []
    if batch:
        db.session.execute(insert(LibraryEntry.__table__), batch)
    db.session.commit()
    # Vacuum too on PostgreSQL: a previous run's deleted rows would otherwise
    # stay in the table and slow every scan.
    analyse = "VACUUM ANALYZE library_entries" if _is_postgresql() else "ANALYZE"
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(analyse))
    return event.id, time.perf_counter() - started


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _timed(call, repeat: int):
    call()  # warm-up: caches, plans
    db.session.rollback()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return result, sorted(samples)


def time_query(query: LibraryQuery, page: int, repeat: int) -> dict:
    result, samples = _timed(lambda: search_library(query, page=page), repeat)
    return {
        "matches": result.total,
        "shown": len(result.entries),
        **_figures(samples),
    }


def time_filter_options(repeat: int) -> dict:
    (countries, events), samples = _timed(filter_options, repeat)
    return {"matches": len(countries) + len(events), "shown": 0, **_figures(samples)}


def _figures(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "min_ms": round(samples[0], 2),
        "max_ms": round(samples[-1], 2),
    }


def cleanup() -> None:
    event = db.session.scalar(select(Event).where(Event.slug == BENCH_SLUG))
    if event is not None:
        db.session.execute(
            delete(LibraryEntry).where(LibraryEntry.event_id == event.id)
        )
        db.session.delete(event)
    owner = db.session.scalar(select(User).where(User.email == BENCH_EMAIL))
    if owner is not None:
        db.session.delete(owner)
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the entries")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        parser.error("set DATABASE_URL to the database to benchmark")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        engine = db.session.get_bind().dialect.name
        print(f"Seeding {args.rows:,} library entries ({engine})...", flush=True)
        _, seconds = seed(args.rows)
        print(f"  seeded and analysed in {seconds:.1f} s")
        results = []
        print(f"\n{'search':44} {'matches':>8} {'median':>9} {'p95':>9} {'max':>9}")
        for label, query, page in QUERIES:
            figures = time_query(query, page, args.repeat)
            results.append({"search": label, "q": query.q, "page": page, **figures})
            print(
                f"{label:44} {figures['matches']:>8} {figures['median_ms']:>7.1f}ms"
                f" {figures['p95_ms']:>7.1f}ms {figures['max_ms']:>7.1f}ms",
                flush=True,
            )
        figures = time_filter_options(args.repeat)
        label = "filter choices (every /library page)"
        results.append({"search": label, "q": "", "page": 0, **figures})
        print(
            f"{label:44} {figures['matches']:>8} {figures['median_ms']:>7.1f}ms"
            f" {figures['p95_ms']:>7.1f}ms {figures['max_ms']:>7.1f}ms",
            flush=True,
        )
        if not args.keep:
            cleanup()
    report = {
        "engine": engine,
        "rows": args.rows,
        "repeat": args.repeat,
        "seed_seconds": round(seconds, 2),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
