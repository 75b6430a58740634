"""Existing events get the stakeholder types and reminder plan new events are made with

Pages used to create them the first time an organiser opened the registrations,
surveys or reminder pages (a GET that wrote). An event nobody had opened them
for offered no group on its registration form, so nobody could register. Now
an event is created with them; this gives them to the events made before.

The default plan goes only to events that have not ended, as the reminder
engine did: an old event must not gain follow-ups.

Revision ID: 0c3e5a7d9b21
Revises: f98e74b9c47d
Create Date: 2026-12-03 08:30:00.000000

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0c3e5a7d9b21"
down_revision = "f98e74b9c47d"
branch_labels = None
depends_on = None

# The application's defaults as they were when this migration was written
# (consult/registration/models.py, consult/notifications/reminders/plans.py);
# a migration must not change with the code.
TYPES = (
    ("government", "Government & public agencies",
     "National, state and local government, public agencies and utilities.", 25),
    ("private", "Private sector",
     "Companies, business associations, start-ups and social enterprises.", 20),
    ("research", "Research & academia",
     "Universities, research institutes and think tanks.", 20),
    ("civil_society", "Civil society & NGOs",
     "Non-governmental organisations, community and citizens' groups, media.", 20),
    ("informal", "Informal sector & community groups",
     "Waste pickers, informal collectors and traders, vulnerable groups and "
     "their representatives.", 15),
)  # fmt: skip
HOUR, DAY = 60, 24 * 60
PLAN = (
    ("reminder", "start", -7 * DAY, "confirmed"),
    ("reminder", "start", -DAY, "confirmed"),
    ("reminder", "start", -HOUR, "confirmed"),
    ("follow_up", "end", 2 * HOUR, "attendees"),
    ("follow_up", "end", 2 * HOUR, "absentees"),
    ("organiser_nudge", "end", DAY, "organisers"),
)

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("end_at", sa.DateTime(timezone=True)),
)
stakeholder_types = sa.table(
    "stakeholder_types",
    sa.column("id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("label", sa.String),
    sa.column("description", sa.String),
    sa.column("target_share", sa.Integer),
    sa.column("cap", sa.Integer),
    sa.column("position", sa.Integer),
)
plan_items = sa.table(
    "reminder_plan_items",
    sa.column("id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("anchor", sa.String),
    sa.column("offset_minutes", sa.Integer),
    sa.column("audience", sa.String),
    sa.column("type_keys", sa.JSON),
    sa.column("subject", sa.String),
    sa.column("body", sa.Text),
    sa.column("enabled", sa.Boolean),
    sa.column("position", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _aware(value: datetime) -> datetime:
    # SQLite gives back the stored UTC time without its zone.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def upgrade():
    conn = op.get_bind()
    now = datetime.now(UTC)
    without_types = conn.execute(
        sa.select(events.c.id).where(
            ~sa.exists().where(stakeholder_types.c.event_id == events.c.id)
        )
    ).scalars()
    type_rows = [
        {"event_id": event_id, "key": key, "label": label,
         "description": description, "target_share": share, "cap": None,
         "position": position}
        for event_id in without_types
        for position, (key, label, description, share) in enumerate(TYPES)
    ]  # fmt: skip
    if type_rows:
        op.bulk_insert(stakeholder_types, type_rows)

    without_plan = conn.execute(
        sa.select(events.c.id, events.c.end_at).where(
            ~sa.exists().where(plan_items.c.event_id == events.c.id)
        )
    ).all()
    # SQLite stores UTC without a zone; PostgreSQL's timestamptz takes it.
    stamp = now.replace(tzinfo=None) if conn.dialect.name == "sqlite" else now
    plan_rows = [
        {"event_id": event_id, "kind": kind, "anchor": anchor,
         "offset_minutes": offset, "audience": audience, "type_keys": [],
         "subject": "", "body": "", "enabled": True, "position": position,
         "created_at": stamp, "updated_at": stamp}
        for event_id, end_at in without_plan
        if _aware(end_at) > now
        for position, (kind, anchor, offset, audience) in enumerate(PLAN)
    ]  # fmt: skip
    if plan_rows:
        op.bulk_insert(plan_items, plan_rows)


def downgrade():
    # The rows are the events' own data from now on (registrations point at
    # the types, organisers may have edited them): nothing to undo.
    pass
