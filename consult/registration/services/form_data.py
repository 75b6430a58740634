"""What the registration form needs of an event, kept per process between requests.

The form page and every registration need the event, its stakeholder types
and its questions: three queries and their ORM objects per request, the same
for everyone. Each process keeps them, as detached copies, under the event's
``registration_version``, which every change to the event (other than its
seat counter), its types or its questions bumps in the same transaction
(``_bump_versions``, a flush hook). A request reads the event's id and
version in one small query and uses the copies while the version matches, so
an edit is seen by the next request in every process.

A registration (the POST) skips even that query: ``kept_form_data`` hands it
the copies this process keeps for the slug, and the registration compares
their version with the event row it locks anyway (``lock_event_row``). On any
difference, or any other outcome than a registration made with them, the
request starts again from ``form_data`` (``StaleFormData``), so what a person
is told is never decided on an old copy.

The copies are for reading: nothing may attach them to a session. Code that
builds ORM rows from them (the general registration path) loads the real
objects first (``attached``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import RegistrationQuestion, StakeholderType

MAX_EVENTS = 64
_EXTENSION = "consult.registration_form_data"
# Changing these does not change the form: the seat counter moves with every
# registration, and the version itself.
_NOT_FORM_FIELDS = frozenset({"confirmed_count", "registration_version", "updated_at"})
_EVENTS = Event.__table__
_SESSION_KEY = "consult.registration_form_changed"


@dataclass(frozen=True)
class FormData:
    """Detached copies of an event, its types and questions, at one version."""

    # The event's version and creation instant: an id SQLite reuses after a
    # deletion comes with another creation instant.
    version: tuple
    event: Event
    types: tuple[StakeholderType, ...]
    questions: tuple[RegistrationQuestion, ...]


class StaleFormData(Exception):
    """The kept copies were not the event's current ones: read them again."""


class _Store:
    """One application's kept form data, bounded, safe across threads."""

    def __init__(self) -> None:
        self.entries: OrderedDict[int, FormData] = OrderedDict()
        self.ids: dict[str, int] = {}  # slug -> event id, as last read
        self.lock = threading.Lock()


def _store() -> _Store:
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions.setdefault(_EXTENSION, _Store())
    return store


def form_data(slug: str) -> FormData | None:
    """The registration form's data of the event with this slug; None if none."""
    row = db.session.execute(
        select(
            _EVENTS.c.id, _EVENTS.c.registration_version, _EVENTS.c.created_at
        ).where(_EVENTS.c.slug == slug)
    ).first()
    if row is None:
        return None
    version = (row.registration_version, row.created_at)
    store = _store()
    with store.lock:
        store.ids[slug] = row.id
        cached = store.entries.get(row.id)
        if cached is not None and cached.version == version:
            store.entries.move_to_end(row.id)
            return cached
    loaded = _load(row.id)
    if loaded is None:
        return None
    with store.lock:
        store.entries[row.id] = loaded
        store.entries.move_to_end(row.id)
        while len(store.entries) > MAX_EVENTS:
            dropped, _data = store.entries.popitem(last=False)
            for name in [n for n, i in store.ids.items() if i == dropped]:
                del store.ids[name]
    return loaded


def kept_form_data(slug: str) -> FormData | None:
    """This process's copies for the slug, without asking the database.

    Possibly out of date: only for a caller that checks ``version`` against
    the locked event row and starts again from ``form_data`` when it differs.
    """
    store = _store()
    with store.lock:
        kept = store.entries.get(store.ids.get(slug, 0))
    if kept is None or kept.event.slug != slug:
        return None
    return kept


def attached(obj):
    """The session's own object for a detached copy (or the object itself)."""
    if inspect(obj).transient:
        return db.session.get(type(obj), obj.id)
    return obj


def _load(event_id: int) -> FormData | None:
    # The version and the rows are read together, so the copies are never
    # newer or older than the version they are kept under.
    event = db.session.get(Event, event_id, populate_existing=True)
    if event is None:
        return None
    types = db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id == event_id)
        .order_by(StakeholderType.position, StakeholderType.id)
    ).all()
    questions = db.session.scalars(
        select(RegistrationQuestion)
        .where(RegistrationQuestion.event_id == event_id)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    ).all()
    return FormData(
        version=(event.registration_version, event.created_at),
        event=_copy(event),
        types=tuple(_copy(t) for t in types),
        questions=tuple(_copy(q) for q in questions),
    )


def _copy(obj):
    """A transient copy with the same column values (never added to a session)."""
    mapper = inspect(type(obj))
    return type(obj)(
        **{attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}
    )


@sa_event.listens_for(Session, "before_flush")
def _note_changes(session, flush_context, instances) -> None:
    changed: set[int] = session.info.setdefault(_SESSION_KEY, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if (
            isinstance(obj, (StakeholderType, RegistrationQuestion))
            and obj.event_id is not None
        ):
            changed.add(obj.event_id)
    for obj in session.dirty:
        if isinstance(obj, Event) and obj.id is not None and _form_edited(obj):
            changed.add(obj.id)


@sa_event.listens_for(Session, "after_flush")
def _bump_versions(session, flush_context) -> None:
    changed = session.info.pop(_SESSION_KEY, None)
    if changed:
        session.connection().execute(
            update(_EVENTS)
            .where(_EVENTS.c.id.in_(sorted(changed)))
            .values(registration_version=_EVENTS.c.registration_version + 1)
        )


def _form_edited(event: Event) -> bool:
    state = inspect(event)
    return any(
        state.attrs[attr.key].history.has_changes()
        for attr in inspect(Event).column_attrs
        if attr.key not in _NOT_FORM_FIELDS
    )
