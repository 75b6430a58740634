"""Fixtures of the security suite: the two-event world, clients per identity.

The world is built once per database for the package (about ten seconds)
and the tables are emptied after it, like the shared `app` fixture does after
each test. Tests here must not use the per-test `app` fixture, which empties the tables.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import Headers

from consult.auth.models import User
from consult.database import set_write_intent
from consult.extensions import db
from tests.conftest import FIXED_NOW, _empty_all_tables, make_app
from tests.security.world import build_world


@pytest.fixture(scope="package")
def world_app(database_url, tmp_path_factory):
    app = make_app(database_url, tmp_path_factory.mktemp("security-instance"))
    with app.app_context():
        _empty_all_tables()
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture(scope="package")
def world(world_app):
    built = build_world(now=FIXED_NOW)
    db.session.remove()
    return built


@pytest.fixture(autouse=True)
def _release_sqlite_lock(request):
    """Requests reuse the world's app context, so its session outlives them
    and a POST's write transaction would keep SQLite locked: end it."""
    yield
    if "world_app" in request.fixturenames:
        set_write_intent(False)
        db.session.rollback()


@dataclass(frozen=True)
class Fetched:
    endpoint: str
    url: str
    status: int
    headers: Headers
    changed: tuple[str, ...]


@pytest.fixture(scope="package")
def get_sweep(world_app, world) -> list[Fetched]:
    """Every GET route of the URL map, asked once by the user entitled to it,
    with the tables each request changed."""
    from tests.security.policy import actor_for, is_api
    from tests.security.urls import app_rules, targets_for

    fetched, clients = [], {}
    for rule in app_rules(world_app):
        if "GET" not in rule.methods:
            continue
        actor = actor_for(rule, world)
        client = clients.setdefault(actor, client_for(world_app, actor))
        # The API's entitled user is a token holder: event A's owner's token.
        headers = {"Authorization": f"Bearer {world.a.tokens['api']}"}
        for target in targets_for(rule, world.a):
            before = table_fingerprints()
            response = client.get(target.url, headers=headers if is_api(rule) else {})
            changed = changed_tables(before, table_fingerprints())
            fetched.append(
                Fetched(
                    rule.endpoint,
                    target.url,
                    response.status_code,
                    response.headers,
                    tuple(changed),
                )
            )
            response.close()
    return fetched


def client_for(app, user_id: int | None = None):
    """A test client, signed in as the user when one is given."""
    client = app.test_client()
    if user_id is not None:
        user = db.session.get(User, user_id)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        db.session.rollback()  # hold no SQLite lock while the app answers
    return client


def table_fingerprints() -> dict[str, str]:
    """A digest of every table's rows, ordered by their first column."""
    set_write_intent(False)  # a test client's POST leaves the flag set
    digests = {}
    for table in db.metadata.sorted_tables:
        first = next(iter(table.columns))
        rows = db.session.execute(select(table).order_by(first)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.rollback()
    return digests


def table_counts() -> dict[str, int]:
    set_write_intent(False)
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(
            text(f'SELECT COUNT(*) FROM "{table.name}"')
        )
    db.session.rollback()
    return counts


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])
