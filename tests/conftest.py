"""Shared fixtures. Every test that uses `app` runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL. Without it the PostgreSQL half is
skipped locally; in CI (CI=true) a missing or unreachable PostgreSQL fails.
"""

from __future__ import annotations

import gc
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import g, has_app_context, has_request_context, request
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, delete, event, make_url, text
from sqlalchemy.orm import Session

from consult import create_app
from consult.extensions import db
from tests.clock import (
    FIXED_NOW,
    LATE_SECONDS,
    install_for_child_processes,
    start_at,
)
from tests.factories import (
    create_reg_event,
    create_registration,
    create_user,
    numbers,
    stakeholder_type,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
__all__ = ["FIXED_NOW", "IN_CI"]


def pytest_configure(config) -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database and Redis db.

    Workers run side by side and every test empties the tables it used, so
    they cannot share one database: worker gwN uses `<name>_gwN` (created
    fresh here) and the Redis database N below TEST_REDIS_URL's.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    index = int(worker.removeprefix("gw"))
    url = postgres_url()
    if url:
        base = make_url(url)
        mine = base.set(database=f"{base.database}_{worker}")
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(
                    text(f'DROP DATABASE IF EXISTS "{mine.database}" WITH (FORCE)')
                )
                conn.execute(text(f'CREATE DATABASE "{mine.database}"'))
        except Exception:  # unreachable: require_postgres() says so per test
            pass
        finally:
            admin.dispose()
        os.environ["TEST_DATABASE_URL"] = mine.render_as_string(hide_password=False)
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        parts = urlsplit(redis_url)
        number = int(parts.path.lstrip("/") or 0)
        os.environ["TEST_REDIS_URL"] = urlunsplit(
            parts._replace(path=f"/{(number - index) % 16}")
        )


def pytest_collection_finish(session) -> None:
    """Fewer, cheaper garbage collections: a third of the fast tests' CPU.

    Every test builds its own app (rules, converters, a Jinja environment,
    an engine), all held in reference cycles, so each test leaves tens of
    thousands of objects only the cycle collector frees. With Python's
    default thresholds it ran a full collection every seven tests or so,
    each walking every object the process holds (0.4-0.6 s): measured on
    tests/registration on SQLite, 67 s of CPU before, 45 s after. Freezing
    what collection imported (modules, mappers, compiled templates' code)
    takes it out of every later walk; the higher thresholds collect the
    garbage in fewer passes. Memory grows by a few hundred MB at most.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 50)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The interface catalogues compiled as `make test` does (a .mo older than
    its .po is rebuilt), so that pytest run on its own sees the translations."""
    from tests.i18n.catalogues import compile_stale

    compile_stale()


@pytest.fixture(scope="session", autouse=True)
def session_clock():
    """Session fixtures (servers, shared worlds) start on the test clock too."""
    install_for_child_processes()
    with start_at(FIXED_NOW):
        yield


@pytest.fixture(autouse=True)
def clock(session_clock):
    """Every test starts at FIXED_NOW; the clock runs on from there.

    `clock.shift(delta)` or `clock.move_to(instant)` moves it within a test.
    """
    with start_at(FIXED_NOW + timedelta(seconds=LATE_SECONDS)) as traveller:
        yield traveller


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """Under pytest-xdist the process-level tests (marked slow: servers,
    schedulers, browsers, the reliability faults) all run on one worker, one
    after another, beside the other worker's fast tests: two of them at once
    would compete for the two cores their timings assume, and their
    session-wide stacks start once."""
    reliability = Path(__file__).parent / "reliability"
    for item in items:
        if item.get_closest_marker("slow") or reliability in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("processes"))


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def require_postgres() -> str:
    """The PostgreSQL URL, or skip (locally) / fail (in CI) when there is none."""
    url = postgres_url()
    reason = None
    if not url:
        reason = "TEST_DATABASE_URL is not set"
    else:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # pragma: no cover - depends on the machine
            reason = f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
        pytest.skip(f"{reason}; PostgreSQL tests skipped")
    return url


class RequestIsolatedClient(FlaskClient):
    """A test client whose requests do not share Flask-Login's cached user.

    A request reuses an application context that a test has pushed, and with
    it `g`, where Flask-Login caches the current user; a real server starts
    every request with a fresh one.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@event.listens_for(Session, "after_flush")
def _note_a_write_in_a_request(session, _context):
    if has_request_context():
        session.info["uncommitted_write"] = request.endpoint


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_the_write(session):
    session.info.pop("uncommitted_write", None)


def _writes_are_committed(response):
    """A request that wrote and answered success must have committed.

    Test requests share the test's session, so a route that flushes and never
    commits still shows its change to the test, while a real server throws it
    away when the request ends (issue 15: moderation "saved" nothing).
    """
    endpoint = db.session.info.pop("uncommitted_write", None)
    if endpoint and response.status_code < 400:
        raise AssertionError(
            f"{request.method} {request.path} ({endpoint}) wrote to the database "
            f"and answered {response.status_code} without committing: a real "
            "server would lose the change"
        )
    return response


def _share_url_builders() -> None:
    """Every test builds its own app, and Werkzeug compiles two URL-builder
    functions per route for each (generating and compiling Python source):
    three quarters of create_app's 0.24 s, 144 routes, before any test line
    ran. A builder depends only on the rule's parsed parts and the names of
    its defaults, so apps share the compiled function (bound to their own
    rule, converters and map as before); every app still gets its own rules.
    Rules whose defaults fill a URL variable are compiled as usual. If
    Werkzeug drops the private method this does nothing.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "shared", False):
        return
    builders: dict = {}

    def shared_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        if any(dynamic and part in defaults for dynamic, part in self._trace):
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(self._trace), tuple(map(str, defaults)), append_unknown)
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(self, append_unknown)
        return builder

    shared_builder.shared = True
    Rule._compile_builder = shared_builder


_share_url_builders()


class _TemplateCodeInMemory(BytecodeCache):
    """Jinja's compiled templates kept for the test process (Jinja's public
    bytecode-cache interface): each test's new app would otherwise compile
    every template it renders again. A bucket is reused only while its
    template's source is unchanged (Jinja checks the source checksum)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _TemplateCodeInMemory()


def make_app(database_url: str, instance_dir, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": str(instance_dir),
    }
    config.update(overrides)
    app = create_app("testing", config)
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    app.after_request(_writes_are_committed)
    app.test_client_class = RequestIsolatedClient
    return app


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A database with the full schema, once per backend for the whole run."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    else:
        url = require_postgres()
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def app_config() -> dict:
    """Config the `app` fixture adds for one area: its conftest overrides this
    (e.g. ``SERVER_NAMED`` from tests/factories.py, for absolute links in emails
    built outside a request)."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_app(database_url, tmp_path / "instance", **app_config)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def _empty_all_tables() -> None:
    """Every table emptied and its ids counting from the start again.

    PostgreSQL deletes too rather than TRUNCATE: truncating the 42 tables took
    0.25-0.6 s after every test even when they were empty (new files for each
    table and index, synced at commit), deleting a test's few rows takes
    milliseconds. The sequences the test used start again, as TRUNCATE ...
    RESTART IDENTITY did (and as SQLite's rowids do once a table is empty).
    """
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(delete(table))
        # Deleting the rows above moved their events' change counters again.
        conn.execute(delete(db.metadata.tables["event_data_versions"]))
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), "
                    "start_value, false) FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def now():
    """The instant every test starts at (tests/clock.py): hand it to services."""
    return FIXED_NOW


@pytest.fixture
def make_user(app):
    """Factory: make_user(email, role='organiser') -> committed User."""
    return create_user


@pytest.fixture
def organiser(app):
    return create_user("organiser@example.org")


@pytest.fixture
def other_organiser(app):
    return create_user("other@example.org")


@pytest.fixture
def admin(app):
    return create_user("admin@example.org", role="admin")


@pytest.fixture
def make_reg_event(app, organiser, now):
    """make_reg_event(owner=None, publish=True, **event_fields) -> committed Event
    open for registration (tests/factories.py: create_reg_event)."""

    def _make(owner=None, **fields):
        return create_reg_event(owner or organiser, now, **fields)

    return _make


@pytest.fixture
def reg_event(make_reg_event):
    """A published event (capacity 100, waiting list on) with the default types."""
    return make_reg_event()


@pytest.fixture
def stype():
    """stype(event, key) -> the event's StakeholderType with that key."""
    return stakeholder_type


@pytest.fixture
def make_registration(now):
    """make_registration(event, email=None, type_key='government',
    status='confirmed', **fields) -> committed Registration (seat counted,
    waiting list positioned; tests/factories.py: create_registration)."""
    counter = numbers()

    def _make(event, email=None, **fields):
        return create_registration(event, now, next(counter), email, **fields)

    return _make


@pytest.fixture
def login(client):
    """login(user): sign the test client in as that user (no form round-trip)."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def outbox(app):
    """outbox() -> list of OutboundEmail rows, oldest first.

    A queued row whose composer writes it at send time is composed first, as
    the sender would when the row's turn comes (its ``next_attempt_at``; the
    text is kept on the row, as the sender keeps it), so
    tests read the text a recipient gets. ``outbox(compose=False)`` gives the
    rows as queued.
    """
    from sqlalchemy import select

    from consult.notifications.composers import Withdrawn, compose
    from consult.notifications.models import OutboundEmail
    from consult.notifications.services import attachment_rows

    def _outbox(compose_queued: bool = True):
        rows = list(
            db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id))
        )
        for row in rows:
            if not compose_queued or row.composed_at is not None:
                continue
            # Composed when its turn comes: at the moment it was queued for.
            moment = row.next_attempt_at or FIXED_NOW
            try:
                composed = compose(row, now=moment)
            except Withdrawn:
                continue
            row.subject = composed.subject
            row.body_text = composed.body_text
            row.body_html = composed.body_html
            row.attachments = attachment_rows(composed.attachments)
            row.composed_at = moment
        return rows

    return _outbox


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver for the whole run, shared by every browser suite.

    Playwright's sync API allows one driver per thread at a time: a suite that
    started its own while another suite's was still open would fail. Suites
    check for Playwright and Chromium (skip locally, fail in CI) first.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
