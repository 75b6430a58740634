"""Migration 0c3e5a7d9b21 gives existing events the types and plan new ones get."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from flask_migrate import upgrade
from sqlalchemy import column, insert, inspect, select, table, text

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.registration.models import DEFAULT_STAKEHOLDER_TYPES, StakeholderType
from tests.conftest import make_app
from tests.test_migrations import empty_postgres_database  # noqa: F401

BEFORE = "f98e74b9c47d"


def _event(owner, slug: str, start, **values) -> SimpleNamespace:
    """An event row as the schema at BEFORE has it (the model has columns added since)."""
    row = dict(
        slug=slug, title=slug.title(), timezone="Europe/Berlin",
        start_at=start, end_at=start + timedelta(hours=2), status="published",
        owner_id=owner, sequence=0, created_at=start, updated_at=start, **values,
    )  # fmt: skip
    connection = db.session.connection()
    existing = {c["name"] for c in inspect(connection).get_columns("events")}
    for model_column in Event.__table__.columns:
        name, default = model_column.name, model_column.default
        if name in existing and name not in row and default is not None:
            row[name] = default.arg(None) if default.is_callable else default.arg
    row = {name: value for name, value in row.items() if name in existing}
    events = table(
        "events", *(column(name, Event.__table__.c[name].type) for name in row)
    )
    event_id = db.session.execute(
        insert(events).values(row).returning(column("id"))
    ).scalar()
    return SimpleNamespace(id=event_id, slug=slug)


def _check_upgrade(database_url: str, instance_dir, now) -> None:
    app = make_app(database_url, instance_dir)
    with app.app_context():
        upgrade(revision=BEFORE)
        # The users table as it was at BEFORE: the model has columns added since.
        owner = db.session.scalar(
            text(
                "INSERT INTO users (email, name, role, active, created_at) "
                "VALUES ('o@example.org', 'O', 'organiser', true, :now) RETURNING id"
            ),
            {"now": now},
        )
        coming = _event(owner, "coming", now + timedelta(days=10))
        past = _event(owner, "past", now - timedelta(days=30))
        own = _event(owner, "own-types", now + timedelta(days=5))
        db.session.flush()
        # A Core insert of the columns the table had at BEFORE: the model's
        # table knows the current schema only (translations came later).
        types_then = table(
            "stakeholder_types",
            *(
                column(name)
                for name in (
                    "event_id", "key", "label", "description", "target_share",
                    "position",
                )
            ),
        )  # fmt: skip
        db.session.execute(
            insert(types_then).values(
                event_id=own.id,
                key="city",
                label="Cities",
                description="",
                target_share=0,
                position=0,
            )  # fmt: skip
        )
        db.session.commit()
        ids = {e.slug: e.id for e in (coming, past, own)}
        db.session.remove()

        upgrade()

        def keys(model, slug):
            column = model.key if model is StakeholderType else model.kind
            return list(
                db.session.scalars(
                    select(column)
                    .where(model.event_id == ids[slug])
                    .order_by(model.position)
                )
            )

        defaults = [key for key, *_ in DEFAULT_STAKEHOLDER_TYPES]
        assert keys(StakeholderType, "coming") == defaults
        assert keys(StakeholderType, "past") == defaults
        assert keys(StakeholderType, "own-types") == ["city"]
        assert keys(ReminderPlanItem, "coming") == [
            "reminder", "reminder", "reminder", "follow_up", "follow_up",
            "organiser_nudge",
        ]  # fmt: skip
        # An old event gains no follow-ups.
        assert keys(ReminderPlanItem, "past") == []
        db.session.remove()
        db.engine.dispose()


def test_existing_events_get_types_and_plan_on_sqlite(tmp_path, now):
    _check_upgrade("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "i", now)


def test_existing_events_get_types_and_plan_on_postgresql(
    empty_postgres_database,  # noqa: F811
    tmp_path,
    now,
):
    _check_upgrade(empty_postgres_database, tmp_path / "i", now)
