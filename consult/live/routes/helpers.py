"""Glue shared by the live pages: the participant's pass, the moderators'
event, and the per-worker cache of the state documents."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from flask import abort, current_app, request, session
from flask_login import current_user
from sqlalchemy import select

from consult.data_versions import live_version_key
from consult.events.access import visible_event_or_404
from consult.events.models import Event
from consult.extensions import db
from consult.live.services.moderators import can_moderate
from consult.live.services.participants import participant_of
from consult.page_cache import PageStore

PASS_KEY = "live"
# How many events' passes a browser keeps (the oldest goes).
MAX_PASSES = 8
# A kept state document is keyed by its version: it is never stale, the
# expiry only bounds memory kept for rooms nobody polls any more.
STATE_SECONDS = 600
# How long a worker trusts a live pass it has checked against the database,
# when the room's document settles (see checked_pass), and how many it keeps.
PASS_RECHECK_SECONDS = 30
MAX_CHECKED_PASSES = 20_000
_STORE = "consult.live.states"


def grant_pass(registration) -> None:
    """Sign this browser into the registration's live room (signed cookie)."""
    passes = dict(session.get(PASS_KEY) or {})
    passes.pop(str(registration.event_id), None)
    passes[str(registration.event_id)] = [registration.id, registration.manage_nonce]
    while len(passes) > MAX_PASSES:
        passes.pop(next(iter(passes)))
    session[PASS_KEY] = passes


def pass_of(event_id: int):
    """The (registration id, nonce) this browser holds for the event, or None."""
    held = (session.get(PASS_KEY) or {}).get(str(event_id))
    if not isinstance(held, list) or len(held) != 2:
        return None
    return held


def participant_or_none(event: Event):
    held = pass_of(event.id)
    return participant_of(event, *held) if held else None


def room_event_or_404(slug: str) -> Event:
    return visible_event_or_404(slug)


def moderated_event_or_404(slug: str) -> Event:
    """The event for its live moderation pages: 404 when absent (or a draft
    the user cannot moderate), 403 for other accounts."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if not can_moderate(current_user, event):
        abort(404 if event.is_draft else 403)
    return event


def state_store() -> PageStore:
    store = current_app.extensions.get(_STORE)
    if store is None:
        store = current_app.extensions.setdefault(_STORE, PageStore())
    return store


def version_of(slug: str):
    """(event id, version text) in one indexed query, or 404."""
    row = live_version_key(slug)
    if row is None:
        abort(404)
    return row.id, f"{row.version or 0}.{row.registration_version}"


def kept_state(kind: str, event_id: int, version: str, build) -> bytes:
    """The state document of this kind and version, as JSON: from this
    worker's store, or built once (``build()``) and kept."""
    store = state_store()
    key = (kind, event_id, version)
    page = store.get(key)
    if page is not None:
        return page.body
    body = json.dumps(build(), default=str, separators=(",", ":")).encode()
    store.put(key, body, "application/json", STATE_SECONDS)
    return body


@dataclass(frozen=True)
class Seen:
    """A room's version as this worker last read it from the database."""

    event_id: int
    version: str
    window: tuple[float, float]
    at: float  # time.monotonic() of the read


def room_version(kind: str, slug: str, build_window) -> Seen:
    """The room's version to serve now, and its opening window.

    In a busy room every vote moves the version. A worker that read the
    version less than ``LIVE_STATE_SETTLE_SECONDS`` ago (a second:
    participants poll every two) serves the document of that version without
    asking the database again; otherwise it reads the current one (one
    indexed query) and remembers it. So a worker builds at most one document
    a second however fast votes arrive, most polls cost no query at all, and
    the room lags by at most that second. 0 (the tests): always the current
    version. ``build_window()`` gives the room's window when its version is
    new to this worker.
    """
    settle = current_app.config["LIVE_STATE_SETTLE_SECONDS"]
    seen = _seen().get((kind, slug))
    moment = time.monotonic()
    if (
        seen is not None
        and settle > 0
        and moment - seen.at < settle
        and state_store().get((kind, seen.event_id, seen.version)) is not None
    ):
        return seen
    event_id, version = version_of(slug)
    window = kept_window(event_id, version, build_window)
    seen = Seen(event_id, version, window, moment)
    _seen()[(kind, slug)] = seen
    return seen


def _seen() -> dict:
    return current_app.extensions.setdefault("consult.live.seen", {})


def checked_pass(event_id: int):
    """The (registration id, nonce) of this browser's pass to the event's
    room while it still opens it, else None.

    The registration is read again at most every ``PASS_RECHECK_SECONDS``
    per worker when the room's document settles (a cancelled participant's
    pass stops reading the room within that), on every request otherwise.
    """
    held = pass_of(event_id)
    if held is None or not isinstance(held[0], int) or not isinstance(held[1], str):
        return None
    key = (event_id, held[0], held[1])
    checked = _checked_passes()
    recheck = PASS_RECHECK_SECONDS
    if current_app.config["LIVE_STATE_SETTLE_SECONDS"] <= 0:
        recheck = 0
    moment = time.monotonic()
    last = checked.get(key)
    if last is not None and moment - last < recheck:
        return held
    event = db.session.get(Event, event_id)
    if event is None or participant_of(event, *held) is None:
        checked.pop(key, None)
        return None
    if len(checked) >= MAX_CHECKED_PASSES:
        checked.clear()
    checked[key] = moment
    return held


def _checked_passes() -> dict:
    return current_app.extensions.setdefault("consult.live.passes", {})


def kept_window(event_id: int, version: str, build) -> tuple[float, float]:
    """The room's opening and closing instants (timestamps) for this version."""
    store = state_store()
    key = ("window", event_id, version)
    page = store.get(key)
    if page is not None:
        body = page.body.decode()
    else:
        window = build()
        # A cancelled event's room is closed from the start of time.
        closes = float("-inf") if window.cancelled else window.closes_at.timestamp()
        body = f"{window.opens_at.timestamp()}|{closes}"
        store.put(key, body.encode(), "text/plain", STATE_SECONDS)
    opens, closes = body.split("|")
    return float(opens), float(closes)


def phase_at(window: tuple[float, float], now) -> str:
    opens, closes = window
    moment = now.timestamp()
    if moment >= closes:
        return "closed"
    return "open" if moment >= opens else "before"


def not_modified(etag: str) -> bool:
    return request.if_none_match.contains_weak(etag)
