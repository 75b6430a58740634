"""The waiting list's counters on the event row, kept by database triggers.

``events.waiting_count`` is the number of the event's registrations with the
status "waitlisted" and ``events.waitlist_tail`` the highest waiting-list
position ever handed out. A newcomer's place is ``waiting_count + 1`` and
their position ``waitlist_tail + 1``, both read from the event row under the
event's lock (``seats.lock_event_row``): no count over a list that grows with
every arrival while every other registration waits for that lock.

Triggers keep them, so every way a status changes (the services, an import,
an erasure, a deletion, a test fixture) is counted, and no service has to
remember to. Every status change already happens after ``lock_event`` (see
``seats``), so the trigger's update of the event row takes no new lock.

``install`` attaches the same statements to ``create_all`` (the tests); the
migration that introduced the counters creates them on existing databases.
``TRIGGER_NAMES`` lets a test check that they exist after every migration: on
SQLite, ``batch_alter_table`` on registrations recreates the table and would
drop them silently, so such a migration must create them again.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

TRIGGER_NAMES = (
    "registrations_waiting_insert",
    "registrations_waiting_update",
    "registrations_waiting_delete",
)

POSTGRESQL = (
    """
CREATE OR REPLACE FUNCTION registrations_waiting_counters() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'waitlisted' THEN
        UPDATE events SET waiting_count = waiting_count - 1 WHERE id = OLD.event_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'waitlisted' THEN
        UPDATE events
        SET waiting_count = waiting_count + 1,
            waitlist_tail = GREATEST(waitlist_tail, NEW.waitlist_position)
        WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER registrations_waiting_insert AFTER INSERT ON registrations
FOR EACH ROW WHEN (NEW.status = 'waitlisted')
EXECUTE FUNCTION registrations_waiting_counters()
""",
    """
CREATE TRIGGER registrations_waiting_update
AFTER UPDATE OF status, waitlist_position ON registrations
FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.waitlist_position IS DISTINCT FROM NEW.waitlist_position
)
EXECUTE FUNCTION registrations_waiting_counters()
""",
    """
CREATE TRIGGER registrations_waiting_delete AFTER DELETE ON registrations
FOR EACH ROW WHEN (OLD.status = 'waitlisted')
EXECUTE FUNCTION registrations_waiting_counters()
""",
)

_SQLITE_ADD = (
    "UPDATE events SET waiting_count = waiting_count + 1,"
    " waitlist_tail = max(waitlist_tail, NEW.waitlist_position)"
    " WHERE id = NEW.event_id"
)
_SQLITE_REMOVE = (
    "UPDATE events SET waiting_count = waiting_count - 1 WHERE id = OLD.event_id"
)

SQLITE = (
    f"""
CREATE TRIGGER registrations_waiting_insert AFTER INSERT ON registrations
WHEN NEW.status = 'waitlisted'
BEGIN {_SQLITE_ADD}; END
""",
    f"""
CREATE TRIGGER registrations_waiting_update
AFTER UPDATE OF status, waitlist_position ON registrations
WHEN OLD.status IS NOT NEW.status OR OLD.waitlist_position IS NOT NEW.waitlist_position
BEGIN
    {_SQLITE_REMOVE} AND OLD.status = 'waitlisted';
    {_SQLITE_ADD} AND NEW.status = 'waitlisted';
END
""",
    f"""
CREATE TRIGGER registrations_waiting_delete AFTER DELETE ON registrations
WHEN OLD.status = 'waitlisted'
BEGIN {_SQLITE_REMOVE}; END
""",
)

# The counters from the rows themselves: for a migration, and for a check.
RECOUNT = """
UPDATE events SET
    waiting_count = (
        SELECT count(*) FROM registrations
        WHERE registrations.event_id = events.id
          AND registrations.status = 'waitlisted'
    ),
    waitlist_tail = coalesce((
        SELECT max(waitlist_position) FROM registrations
        WHERE registrations.event_id = events.id
    ), 0)
"""


def statements(dialect_name: str) -> tuple[str, ...]:
    """The statements creating the triggers on a database of this dialect."""
    return POSTGRESQL if dialect_name == "postgresql" else SQLITE


def install(registrations: Table) -> None:
    """Create the triggers whenever ``create_all`` creates the registrations table."""
    for dialect, ddl in (("postgresql", POSTGRESQL), ("sqlite", SQLITE)):
        for statement in ddl:
            event.listen(
                registrations,
                "after_create",
                DDL(statement).execute_if(dialect=dialect),
            )
