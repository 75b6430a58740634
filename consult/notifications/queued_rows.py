"""One outbox row inserted once: the statement email and SMS both queue with.

One INSERT … ON CONFLICT DO NOTHING RETURNING id in the caller's transaction,
with no look-up: an existing row with the same dedup key (or a concurrent
insert of it) wins, and the caller gets None.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, cast, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.selectable import CTE

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.mime import message_id_for
from consult.notifications.models import OutboundEmail

# Built once: every queued message has the same shape.
_INSERT_ONCE = {
    name: insert(OutboundEmail.__table__)
    .on_conflict_do_nothing()
    .returning(OutboundEmail.__table__.c.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


def checked_dedup_key(dedup_key: str | None) -> str:
    dedup_key = (dedup_key or "").strip()
    if not dedup_key or len(dedup_key) > 255:
        raise ValidationFailed("A dedup key of 1 to 255 characters is required.")
    return dedup_key


def queued_row(
    *,
    dedup_key: str,
    composer: str,
    template: str,
    recipient: str,
    now: datetime,
    params: Mapping[str, Any] | None = None,
    event_id: int | None = None,
    registration_id: int | None = None,
    send_before: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The column values of a queued row for ``composer`` to write when it is
    sent. ``fields``: other columns (channel, subject, recipient_name,
    list_unsubscribe), already cleaned by the caller."""
    dedup_key = checked_dedup_key(dedup_key)
    return {
        "dedup_key": dedup_key,
        "message_id": message_id_for(
            dedup_key, current_app.config["MAIL_DEFAULT_SENDER"]
        ),
        "template": template,
        "composer": composer,
        "params": dict(params or {}),
        "event_id": event_id,
        "registration_id": registration_id,
        "recipient": recipient,
        "recipient_name": "",
        "subject": "",
        "body_text": "",
        "body_html": "",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
        "retryable": True,
        "send_before": send_before,
        "list_unsubscribe": "",
        **fields,
    }


def insert_queued_once(**values: Any) -> int | None:
    """Insert a queued row (``queued_row``'s arguments): its id, None if the
    key was taken."""
    return insert_row_once(queued_row(**values))


def insert_row_once(values: Mapping[str, Any]) -> int | None:
    """Insert a ``queued_row``: its id, None if the key was taken."""
    connection = db.session.connection()
    # ON CONFLICT DO NOTHING: a concurrent insert of the same key makes this
    # one wait for it and then do nothing, without a savepoint.
    inserted = connection.execute(_INSERT_ONCE[connection.dialect.name], values)
    # RETURNING, not rowcount: psycopg reports -1 rows for an INSERT whose
    # primary key SQLAlchemy fetches itself.
    return inserted.scalar()


def insert_row_after(
    step: CTE, step_values: Mapping[str, Any], values: Mapping[str, Any]
) -> int | None:
    """PostgreSQL: run ``step`` (a data-modifying CTE returning one row) and
    insert a ``queued_row`` in the same statement, once per row it returns.

    One round trip instead of two, for a caller that holds a lock until its
    commit (the event's, on a registration). Its id; None if ``step``
    returned nothing or the key was taken. The statement is built once per
    step and set of columns; the row's values go in as ``q_<column>``.
    """
    key = (step, tuple(values))
    statement = _AFTER.get(key)
    if statement is None:
        table = OutboundEmail.__table__
        selected = select(
            *(
                cast(
                    bindparam(f"q_{name}", type_=table.c[name].type), table.c[name].type
                )
                for name in values
            )
        ).select_from(step)
        # The other columns take their server defaults, as in an INSERT
        # that does not name them.
        statement = (
            postgresql_insert(table)
            .from_select(list(values), selected, include_defaults=False)
            .on_conflict_do_nothing()
            .returning(table.c.id)
        )
        _AFTER[key] = statement
    parameters = {**step_values, **{f"q_{name}": v for name, v in values.items()}}
    return db.session.execute(statement, parameters).scalar()


_AFTER: dict[tuple, Any] = {}
