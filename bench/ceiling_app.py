"""The ceilings: what Flask + SQLAlchemy alone do, served like Consult.

    gunicorn --chdir bench ceiling_app:app

``POST /insert`` reads a form and inserts one row in one transaction (the
bare-insert ceiling for the registration surge); ``GET /hello`` returns a
constant string (the ceiling for the event page). The database is
``DATABASE_URL``, the same one the Consult run uses, with the same engine
set-up (``consult.database.configure_engine``: on SQLite WAL, a busy timeout
and ``BEGIN IMMEDIATE`` for writes; on PostgreSQL the test of a pooled
connection before it is lent), so the only difference is Consult's own
work. The table ``bench_ceiling`` is the benchmark's, created here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask, request  # noqa: E402
from sqlalchemy import (  # noqa: E402
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
)

from config import Config, _database_url  # noqa: E402
from consult.database import configure_engine  # noqa: E402

metadata = MetaData()
rows = Table(
    "bench_ceiling",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

# The application's own engine options and set-up, so that the ceiling tests
# its connections before lending them exactly as Consult does.
engine = create_engine(
    _database_url("sqlite:///bench-ceiling.db"), **Config.SQLALCHEMY_ENGINE_OPTIONS
)
configure_engine(engine, int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")))

app = Flask(__name__)


@app.post("/insert")
def insert_one():
    values = {
        "full_name": request.form["full_name"],
        "email": request.form["email"],
    }
    with engine.begin() as connection:
        connection.execute(insert(rows), values)
    return "stored\n", 201


@app.get("/hello")
def hello():
    return "Hello, World!\n"


def create_table(url: str) -> None:
    """Create (empty) the ceiling's table; the runner calls this before each run."""
    setup = create_engine(url)
    metadata.drop_all(setup)
    metadata.create_all(setup)
    setup.dispose()
