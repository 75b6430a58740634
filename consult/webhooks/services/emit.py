"""Emitting a fact: one delivery row per subscription that selected its kind.

Listens to ``consult.facts.announce``, called by the service that made the
change, inside its transaction, so a
rollback leaves no delivery and a commit leaves one per subscription. The body
is built here, once: what the fact was when it happened. It carries ids,
statuses and ISO 8601 UTC times, never names, email addresses or answers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from consult.extensions import db
from consult.facts import listen
from consult.timeutil import iso_utc
from consult.webhooks.models import KINDS, PING, WebhookDelivery, WebhookSubscription

_EXTENSION = "consult.webhooks_none"
KNOWN_EVENTS = 1024
_INSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def iso(moment: datetime | None) -> str | None:
    """An aware instant as ISO 8601 UTC text (``...Z``), or None."""
    return None if moment is None else iso_utc(moment)


def _fact_key(kind: str, fact: str, now: datetime) -> str:
    # To the microsecond: the same fact may recur later (a second promotion).
    return f"{kind}:{fact}:{now.astimezone(UTC).isoformat()}"[:200]


def subject_data(subject) -> tuple[str, dict]:
    """(fact id, data) of what a fact is about: a model row or a ready mapping."""
    if isinstance(subject, Mapping):
        data = dict(subject)
        return str(data.get("id") or uuid.uuid4()), data
    name = type(subject).__name__
    data = _DESCRIBE[name](subject)
    return f"{name}:{subject.id}", data


def _registration(row) -> dict:
    return {
        "id": row.id,
        "status": row.status,
        "stakeholder_type_id": row.stakeholder_type_id,
        "created_at": iso(row.created_at),
    }


def _input(row) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "state": row.state,
        "challenge_id": row.challenge_id,
        "created_at": iso(row.created_at),
    }


def _survey_response(row) -> dict:
    return {
        "id": row.id,
        "survey_id": row.survey_id,
        "submitted_at": iso(row.submitted_at),
    }


def _attendance_import(row) -> dict:
    return {
        "id": row.id,
        "source": row.source,
        "matched": row.matched,
        "unmatched": row.unmatched,
        "imported_at": iso(row.imported_at),
    }


def _results_version(row) -> dict:
    return {"version": row.number, "published_at": iso(row.published_at)}


_DESCRIBE = {
    "Registration": _registration,
    "Input": _input,
    "SurveyResponse": _survey_response,
    "AttendanceImport": _attendance_import,
    "ResultsVersion": _results_version,
}


def _without_subscriptions() -> dict:
    """Events (id, registration_version, created_at) this process saw with no
    active subscription: registering there reads nothing more. Making or
    resuming a subscription bumps the event's version (subscriptions.py), and
    the registration compares the version it used with the row it locks, so
    an entry here is never wrong for a new subscription."""
    return current_app.extensions.setdefault(_EXTENSION, {})


def emit(event, kinds: str | Iterable[str], subject, *, now: datetime) -> int:
    """Queue the fact(s) for every active subscription of ``event`` that wants them.

    ``subject``: a Registration, Input, SurveyResponse, AttendanceImport or
    ResultsVersion, or a mapping of the data to send (with an ``id``).
    Returns the number of rows queued; nothing is read beyond one query when
    the event has no subscription.
    """
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ValueError(f"unknown webhook kinds {unknown!r}")
    known = _without_subscriptions()
    key = (event.id, event.registration_version, event.created_at)
    if key in known:
        return 0
    subscriptions = db.session.execute(
        select(WebhookSubscription.id, WebhookSubscription.kinds).where(
            WebhookSubscription.event_id == event.id,
            WebhookSubscription.status == "active",
        )
    ).all()
    if not subscriptions:
        known[key] = True
        while len(known) > KNOWN_EVENTS:
            known.pop(next(iter(known)))
    wanted = [
        (sub_id, kind)
        for kind in kinds
        for sub_id, selected in subscriptions
        if kind in (selected or ())
    ]
    if not wanted:
        return 0
    if not isinstance(subject, Mapping) and getattr(subject, "id", None) is None:
        db.session.flush()
    fact, data = subject_data(subject)
    rows = [
        delivery_values(sub_id, kind, _fact_key(kind, fact, now), event, data, now)
        for sub_id, kind in wanted
    ]
    return insert_deliveries(rows)


def ping(subscription: WebhookSubscription, *, now: datetime) -> int:
    """A test delivery to one subscription (whatever kinds it selected)."""
    event = subscription.event
    values = delivery_values(
        subscription.id, PING, _fact_key(PING, "", now), event, {"ping": True}, now
    )
    return insert_deliveries([values])


def delivery_values(
    subscription_id: int, kind: str, fact_key: str, event, data: dict, now: datetime
) -> dict:
    webhook_id = str(uuid.uuid4())
    body = {
        "id": webhook_id,
        "kind": kind,
        "occurred_at": iso(now),
        "event": {"id": event.id, "slug": event.slug},
        "data": data,
    }
    return {
        "subscription_id": subscription_id,
        "webhook_id": webhook_id,
        "kind": kind,
        "fact_key": fact_key[:200],
        "body": json.dumps(body, separators=(",", ":"), sort_keys=True),
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_response": "",
        "last_error": "",
    }


def insert_deliveries(rows: list[dict]) -> int:
    """Insert the rows; one already there for (subscription, fact) stays as it is."""
    connection = db.session.connection()
    insert = _INSERT[connection.dialect.name]
    statement = (
        insert(WebhookDelivery.__table__)
        .on_conflict_do_nothing(index_elements=["subscription_id", "fact_key"])
        .returning(WebhookDelivery.__table__.c.id)
    )
    inserted = 0
    for row in rows:
        inserted += connection.execute(statement, row).scalar() is not None
    return inserted


def interest(event_id):
    """Whether the event has an active subscription, as an SQL expression."""
    return (
        select(WebhookSubscription.id)
        .where(
            WebhookSubscription.event_id == event_id,
            WebhookSubscription.status == "active",
        )
        .exists()
    )


listen(emit, interest)
