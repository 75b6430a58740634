"""Engine setup: SQLite tuned for concurrent writers."""

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from consult.auth.models import User
from consult.database import write_intent
from consult.extensions import db
from tests.conftest import make_app


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file (these tests are about SQLite only)."""
    app = make_app("sqlite:///" + str(tmp_path / "concurrency.db"), tmp_path / "inst")
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_app):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def _read_then_write_in_threads(app, n_threads: int, intent: bool) -> list[Exception]:
    """Each thread reads the user count, then inserts a user, in one transaction."""
    errors: list[Exception] = []
    barrier = threading.Barrier(n_threads)

    def worker(i: int) -> None:
        with app.app_context(), write_intent(intent), Session(db.engine) as session:
            try:
                barrier.wait()
                session.scalar(select(func.count(User.id)))
                session.add(User(email=f"u{i}@example.org", role="organiser"))
                session.commit()
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)
                session.rollback()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_concurrent_read_then_write_transactions_never_see_database_locked(sqlite_app):
    errors = _read_then_write_in_threads(sqlite_app, 16, intent=True)
    assert errors == []
    assert db.session.scalar(select(func.count(User.id))) == 16


def test_deferred_transactions_would_lose_writes(sqlite_app):
    """Shows why write transactions begin IMMEDIATE: a deferred one that read
    before another writer committed cannot write any more ("database is
    locked" at once: its snapshot is stale, no busy timeout helps). The two
    transactions interleave in a fixed order, so this fails every time, not
    only when threads happen to collide."""
    with write_intent(False), Session(db.engine) as first, Session(db.engine) as second:
        first.scalar(select(func.count(User.id)))  # a read: its snapshot starts
        second.scalar(select(func.count(User.id)))
        second.add(User(email="second@example.org", role="organiser"))
        second.commit()  # another writer commits meanwhile
        first.add(User(email="first@example.org", role="organiser"))
        with pytest.raises(OperationalError, match="database is locked"):
            first.commit()
        first.rollback()
    # With write intent the same order waits for the lock instead (see above).


def test_read_only_requests_begin_deferred(sqlite_app):
    """A GET must not take the write lock, so readers never queue behind writers."""
    with db.engine.connect() as other:
        holding_write_lock = other.begin()  # BEGIN IMMEDIATE: write intent
        try:
            assert sqlite_app.test_client().get("/").status_code == 200
        finally:
            holding_write_lock.rollback()


def test_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from consult.events.models import PartnerCity

    with pytest.raises(IntegrityError):
        db.session.add(PartnerCity(event_id=999_999, name="Nowhere"))
        db.session.flush()
    db.session.rollback()
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def _holder(engine, release: threading.Event, holding: threading.Event) -> None:
    with engine.connect() as conn:
        transaction = conn.begin()  # BEGIN IMMEDIATE: holds the write lock
        holding.set()
        release.wait(timeout=30)
        transaction.rollback()


def test_a_writer_waiting_for_the_lock_gets_it_when_released(sqlite_app):
    release, holding = threading.Event(), threading.Event()
    holder = threading.Thread(target=_holder, args=(db.engine, release, holding))
    holder.start()
    holding.wait(timeout=10)
    threading.Timer(0.15, release.set).start()
    with write_intent(True), Session(db.engine) as session:
        session.add(User(email="waited@example.org", role="organiser"))
        session.commit()  # waited for the holder, then wrote
    holder.join(timeout=10)
    with write_intent(False), Session(db.engine) as session:
        assert session.scalar(select(func.count(User.id))) == 1
    with db.engine.connect() as conn:  # the connection's timeout is back
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_a_writer_gives_up_after_the_busy_timeout(tmp_path):
    from sqlalchemy.exc import OperationalError

    app = make_app(
        "sqlite:///" + str(tmp_path / "busy.db"),
        tmp_path / "inst",
        SQLITE_BUSY_TIMEOUT_MS=300,
    )
    with app.app_context():
        db.create_all()
        release, holding = threading.Event(), threading.Event()
        holder = threading.Thread(target=_holder, args=(db.engine, release, holding))
        holder.start()
        holding.wait(timeout=10)
        try:
            # The usual error, the one the scheduler recognises, not a hang
            # and not the raw driver's exception.
            with (
                write_intent(True),
                db.engine.connect() as conn,
                pytest.raises(OperationalError, match="database is locked"),
            ):
                conn.begin()
            release.set()
            holder.join(timeout=10)
            with write_intent(True), db.engine.connect() as conn:  # usable again
                conn.begin()
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
        finally:
            release.set()
            holder.join(timeout=10)
            db.session.remove()
            db.engine.dispose()
