"""A version of each event's data, moved by database triggers on every change.

A prepared file (the report's PDF, the full workbook) is kept while the data
it was made from has not changed. ``event_data_versions.version`` counts the
changes to the rows the report and the exports read (registrations, types and
questions, agenda, partner cities, challenges, inputs and their supports,
priorities, surveys, their questions, options, responses, answers and
participations, attendance imports, the report's key findings). Triggers move it, so every way a row
changes (a service, a Core statement, an import, an erasure, a test fixture)
is counted and no service has to remember to; the event row's own edits move
its ``registration_version`` (``registration/services/form_data.py``), which
``data_version`` reads as well.

The counter is a row of its own, not a column of the event: a survey answer
then waits for other writers of the same event's data only, not for the seat
lock every registration takes on the event row. On PostgreSQL the triggers
are deferred to the commit (constraint triggers, ``INITIALLY DEFERRED``): the
counter's row is locked at the very end of a transaction, after any event
lock it took. An immediate trigger would lock it at a transaction's first
change of a tracked row: a writer that changes one and then asks for the
event's lock (as the public form's registration did until it took the
event's lock first) would wait for an organiser's cancellation, which takes
the event's lock and then changes a registration, while the cancellation
waits for the counter: a deadlock in a surge. The update still holds the
row until the commit, so versions follow the order of commits: a file
labelled with the version read before its data was read never holds older
data than its label says.

The table has no foreign key: a deletion of an event cascades to rows whose
triggers write here while the event is going away. ``data_version`` pairs the
counter with the event's creation instant, as SQLite may reuse an id.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import DDL, BigInteger, event, text
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db


class EventDataVersion(db.Model):
    """How many changes an event's data has seen (kept by triggers)."""

    __tablename__ = "event_data_versions"

    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Each table whose rows the report or an export reads, and the SQL giving the
# event of one of its rows (``{row}`` is NEW or OLD).
TRACKED: dict[str, str] = {
    "registrations": "{row}.event_id",
    "stakeholder_types": "{row}.event_id",
    "registration_questions": "{row}.event_id",
    "attendance_imports": "{row}.event_id",
    "partner_cities": "{row}.event_id",
    "agenda_sessions": "{row}.event_id",
    "speakers": "(SELECT event_id FROM agenda_sessions WHERE id = {row}.session_id)",
    "challenges": "{row}.event_id",
    "inputs": "{row}.event_id",
    "input_supports": "(SELECT event_id FROM inputs WHERE id = {row}.input_id)",
    "challenge_priorities": "{row}.event_id",
    "dashboard_report_notes": "{row}.event_id",
    "surveys": "{row}.event_id",
    "survey_questions": "(SELECT event_id FROM surveys WHERE id = {row}.survey_id)",
    "survey_options": (
        "(SELECT s.event_id FROM survey_questions q JOIN surveys s"
        " ON s.id = q.survey_id WHERE q.id = {row}.question_id)"
    ),
    "survey_responses": "(SELECT event_id FROM surveys WHERE id = {row}.survey_id)",
    "survey_participations": (
        "(SELECT event_id FROM surveys WHERE id = {row}.survey_id)"
    ),
    "survey_answers": (
        "(SELECT s.event_id FROM survey_responses r JOIN surveys s"
        " ON s.id = r.survey_id WHERE r.id = {row}.response_id)"
    ),
}

_BUMP = (
    "INSERT INTO event_data_versions (event_id, version)"
    " SELECT e, 1 FROM (SELECT {event} AS e) AS changed WHERE e IS NOT NULL"
    " ON CONFLICT (event_id) DO UPDATE"
    " SET version = event_data_versions.version + 1"
)
_OPERATIONS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}


def trigger_names() -> tuple[str, ...]:
    """Every trigger this module creates (a migration test checks they exist)."""
    return tuple(f"{table}_data_{op}" for table in TRACKED for op in _OPERATIONS)


def _bumps(table: str, rows: tuple[str, ...]) -> list[str]:
    return [_BUMP.format(event=TRACKED[table].format(row=row)) for row in rows]


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_data_{op} AFTER {op.upper()} ON {table} BEGIN "
        + "; ".join(_bumps(table, rows))
        + "; END"
        for op, rows in _OPERATIONS.items()
    ]


def _postgresql(table: str, *, once: bool = True) -> list[str]:
    statements = []
    for op, rows in _OPERATIONS.items():
        function = f"{table}_data_{op}_bump"
        statements.append(_function(table, function, rows, once=once))
        statements.append(
            f"CREATE CONSTRAINT TRIGGER {table}_data_{op} AFTER {op.upper()}"
            f" ON {table} DEFERRABLE INITIALLY DEFERRED"
            f" FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return statements


def _function(table: str, function: str, rows: tuple[str, ...], *, once: bool) -> str:
    """A trigger function bumping the version of each row's event.

    ``once``: at most once per event and transaction. Every trigger of a
    transaction runs at its commit, and the first bump locks the counter's
    row until the end, so one bump changes the version as surely as many:
    the later ones only check a transaction-local setting instead of
    updating the row again (a registration changes its row twice; a bulk
    import of 50,000 rows updated one counter 50,000 times at the commit).
    """
    if not once:
        body = "; ".join(_bumps(table, rows))
        return (
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger"
            f" LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
        )
    checks = " ".join(
        f"changed_event := {TRACKED[table].format(row=row)};"
        " IF changed_event IS NOT NULL AND current_setting("
        f"'{_BUMPED}' || changed_event, true) IS DISTINCT FROM 'y' THEN"
        " INSERT INTO event_data_versions (event_id, version)"
        " VALUES (changed_event, 1) ON CONFLICT (event_id) DO UPDATE"
        " SET version = event_data_versions.version + 1;"
        f" PERFORM set_config('{_BUMPED}' || changed_event, 'y', true); END IF;"
        for row in rows
    )
    return (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ DECLARE changed_event bigint; BEGIN {checks} RETURN NULL; END $$"
    )


# The transaction-local setting that says an event's version moved already.
_BUMPED = "consult.data_version_bumped_"


def function_statements(*, once: bool = True) -> list[str]:
    """PostgreSQL: the statements (re)defining every trigger's function."""
    return [
        _function(table, f"{table}_data_{op}_bump", rows, once=once)
        for table in TRACKED
        for op, rows in _OPERATIONS.items()
    ]


def statements(dialect_name: str) -> list[str]:
    """The statements creating every trigger on a database of this dialect."""
    build = _postgresql if dialect_name == "postgresql" else _sqlite
    return [statement for table in TRACKED for statement in build(table)]


def drop_statements(dialect_name: str) -> list[str]:
    """The statements removing them (a migration's downgrade)."""
    if dialect_name != "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in trigger_names()]
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table};"
        f" DROP FUNCTION IF EXISTS {name}_bump()"
        for table in TRACKED
        for name in (f"{table}_data_{op}" for op in _OPERATIONS)
    ]


def install(metadata) -> None:
    """Create the triggers whenever ``create_all`` creates the tables (tests)."""
    for dialect in ("postgresql", "sqlite"):
        for statement in statements(dialect):
            event.listen(
                metadata, "after_create", DDL(statement).execute_if(dialect=dialect)
            )


def data_version(event_id: int) -> str:
    """The version of an event's data, as text: changes with every change to it.

    The change counter, the event's own edits (``registration_version``) and
    its creation instant (an id SQLite reuses comes with another one); once
    an action plan builds on the event, a digest of what the report shows of
    those actions (they belong to a city, not to the event: no trigger of the
    event's counter sees them).
    """
    row = db.session.execute(
        text(
            "SELECT v.version, e.registration_version, e.created_at FROM events e"
            " LEFT JOIN event_data_versions v ON v.event_id = e.id WHERE e.id = :id"
        ),
        {"id": event_id},
    ).one()
    created = re.sub(r"\D", "", str(row.created_at))[:20]
    version = f"{row.version or 0}.{row.registration_version}.{created}"
    actions = _actions_digest(event_id)
    return f"{version}.{actions}" if actions else version


# The actions of the report's "Actions from this consultation", as it shows
# them (consult/dashboard/services/report_actions.py).
_ACTIONS = text(
    "SELECT a.id, a.title, a.kind, a.status, a.progress, a.published_at, c.slug,"
    " c.name FROM actions a JOIN action_plans p ON p.id = a.plan_id"
    " JOIN cities c ON c.id = p.city_id"
    " WHERE EXISTS (SELECT 1 FROM action_inputs ai JOIN inputs i"
    " ON i.id = ai.input_id WHERE ai.action_id = a.id AND i.event_id = :id)"
    " OR EXISTS (SELECT 1 FROM action_challenges ac JOIN challenges ch"
    " ON ch.id = ac.challenge_id WHERE ac.action_id = a.id AND ch.event_id = :id)"
    " ORDER BY a.id"
)


def _actions_digest(event_id: int) -> str:
    rows = db.session.execute(_ACTIONS, {"id": event_id}).all()
    if not rows:
        return ""
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:16]


install(db.metadata)


def bump_data_version(event_id: int) -> None:
    """Move an event's version in the caller's transaction, for tables no
    trigger watches (the live room's: its services call this on every write;
    the kept report and exports, which show its results, follow too)."""
    db.session.execute(text(_BUMP.format(event=":event_id")), {"event_id": event_id})


def live_version_key(slug: str):
    """One indexed look-up: an event's id, change counter and own edits, by slug
    (the live room's cheap "has anything changed?" read); None when absent."""
    return db.session.execute(
        text(
            "SELECT e.id, v.version, e.registration_version FROM events e"
            " LEFT JOIN event_data_versions v ON v.event_id = e.id"
            " WHERE e.slug = :slug"
        ),
        {"slug": slug},
    ).one_or_none()
