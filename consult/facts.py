"""Facts other systems may hear about, announced by the services that make them.

A registration confirmed, an input submitted, results published: the service
that makes the change calls ``announce(event, kinds, subject, now=now)`` in
its own transaction. The webhooks area registers the listener at import
(``listen``; consult/webhooks/services/emit.py), which queues one delivery per
subscription in that same transaction, so a rollback announces nothing. The
areas that announce import no webhooks code (the registry pattern of
``clone_parts.py``): webhooks' own services may then use theirs (who manages
an event) without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import or_, true

from consult.timeutil import iso_utc

Listener = Callable[..., int]
_listeners: list[Listener] = []
# Per listener, a function of an event id (an SQL expression) giving a
# boolean SQL expression: whether it would do anything for that event's
# facts. A statement can ask in passing, and a hot path skip a listener's
# query (registration/services/register_one.py).
_interests: list[Callable | None] = []

# A registration's status (or the kind of its message) -> the fact it is.
_REGISTRATION_KINDS = {
    "confirmed": "registration.confirmed",
    "approved": "registration.confirmed",
    "waitlisted": "registration.waitlisted",
    "promoted": "registration.promoted",
    "cancelled": "registration.cancelled",
}


def listen(listener: Listener, interest: Callable | None = None) -> None:
    """Register a listener (once, at import): listener(event, kinds, subject, now=).

    ``interest(event_id)``: optional, an SQL expression of whether the
    listener has anything to do for that event (see ``interest_in``).
    """
    if listener not in _listeners:
        _listeners.append(listener)
        _interests.append(interest)


def interest_in(event_id):
    """An SQL expression, true when some listener may act on the event's facts.

    True for a listener without an ``interest`` function (it is always asked).
    """
    if not _listeners:
        raise RuntimeError("no listener for facts: create_app() registers webhooks")
    if any(interest is None for interest in _interests):
        return true()
    return or_(*(interest(event_id) for interest in _interests))


def announce(
    event, kinds: str | Iterable[str], subject, *, now: datetime, heard: bool = True
) -> None:
    """Tell the listeners about a fact, in the caller's transaction.

    ``subject``: the row the fact is about (a Registration, Input,
    SurveyResponse, AttendanceImport, ResultsVersion) or a mapping of the
    data to send, with an ``id`` when it has one. ``heard``: False when the
    caller's own statement found ``interest_in`` false for the event, in the
    same transaction: nobody would act, so nobody is asked.
    """
    if not _listeners:
        raise RuntimeError("no listener for facts: create_app() registers webhooks")
    if not heard:
        return
    for listener in _listeners:
        listener(event, kinds, subject, now=now)


def registration_kinds(status: str, *, created: bool = False) -> tuple[str, ...]:
    """The facts of a registration reaching ``status`` (``created``: a new one)."""
    kinds = ("registration.created",) if created else ()
    follow = _REGISTRATION_KINDS.get(status)
    return (*kinds, follow) if follow else kinds


def registration_fact(registration_id: int, status: str, type_id, now) -> dict:
    """The data of a registration made without an ORM row (the fast path)."""
    return {
        "id": registration_id,
        "status": status,
        "stakeholder_type_id": type_id,
        "created_at": iso_utc(now),
    }


def anonymous_response(survey, day: datetime) -> dict:
    """The data of an anonymous survey's response: the survey and the day only
    (as the stored response), no id that could be matched to its answers."""
    return {"survey_id": survey.id, "anonymous": True, "submitted_on": iso_utc(day)}
