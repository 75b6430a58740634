"""Shared helpers: databases, the in-process app, query counting, timing."""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import _database_url  # noqa: E402


def normalised(url: str) -> str:
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return _database_url(url)
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old


def recreate_database(url: str) -> None:
    """Start from an empty database: PostgreSQL DROP/CREATE, SQLite file removed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = parsed.database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def make_app(url: str, **overrides):
    """Consult in-process on this database, as `make run` configures it."""
    from consult import create_app

    settings = {
        "SQLALCHEMY_DATABASE_URI": normalised(url),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "127.0.0.1:5000",
    }
    settings.update(overrides)
    return create_app("development", settings)


class QueryCounter:
    """Counts the SQL statements an engine executes while active."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _on_execute(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on_execute)


@contextmanager
def stopwatch():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def median_time(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of fn() over repeat runs (after no warm-up: the caller warms)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class QueryTimer(QueryCounter):
    """Counts the statements and adds up their wall time (sent, run, fetched).

    psycopg and sqlite3 fetch a whole result inside ``execute``, so the sum is
    the time spent waiting for the database plus the driver's own decoding.
    """

    def __init__(self, engine):
        super().__init__(engine)
        self.seconds = 0.0
        self._started: list[float] = []

    def _on_execute(self, *args, **kwargs):
        super()._on_execute()
        self._started.append(time.perf_counter())

    def _on_executed(self, *args, **kwargs):
        self.seconds += time.perf_counter() - self._started.pop()

    def __enter__(self):
        self.seconds = 0.0
        event.listen(self.engine, "after_cursor_execute", self._on_executed)
        return super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        event.remove(self.engine, "after_cursor_execute", self._on_executed)


def cpu_wall_median(fn, repeat: int, engine) -> dict:
    """Median CPU (this process), wall and SQL seconds of fn() over repeat runs.

    CPU is ``time.process_time``: other processes loading the machine slow
    the wall clock but not it. Each figure is the median of its own runs.
    """
    runs, result = [], None
    for _ in range(repeat):
        with QueryTimer(engine) as timer:
            cpu, wall = time.process_time(), time.perf_counter()
            result = fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        runs.append({"cpu_s": cpu, "wall_s": wall, "sql_s": timer.seconds,
                     "queries": timer.count})  # fmt: skip
    figures = {
        key: round(statistics.median(run[key] for run in runs), 3)
        for key in ("cpu_s", "wall_s", "sql_s")
    }
    figures["queries"] = runs[-1]["queries"]
    figures["runs"] = [{k: round(v, 3) for k, v in run.items()} for run in runs]
    return {**figures, "result": result}


def write_results(
    out: str, name: str, title: str, results: dict, body: list[str]
) -> None:
    """A single-part bench's JSON and Markdown: ``<date>-<name>.json`` and ``.md``.

    ``results`` has "started" (ISO) and "environment" (``run.environment()``);
    its load average at the end is taken here.
    """
    import json
    from datetime import datetime

    results["environment"]["load_average_end"] = load_average()
    env = results["environment"]
    lines = [
        f"# {title} — {results['started']}",
        "",
        f"Commit {env['commit']}, Python {env['python']}, {env['cores']} cores; "
        f"load average {env['load_average_start']} at the start, "
        f"{env['load_average_end']} at the end (1, 5, 15 min).",
        "",
        *body,
    ]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.fromisoformat(results['started']):%Y-%m-%d-%H%M}-{name}"
    (folder / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    (folder / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"written: {folder / stem}.json and .md")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
