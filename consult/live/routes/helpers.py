"""Glue shared by the live pages: the participant's pass, the moderators'
event, and the per-worker cache of the state documents."""

from __future__ import annotations

import json
import time

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
    _latest()[(kind, event_id)] = (version, time.monotonic())
    return body


def settled_version(kind: str, event_id: int, version: str) -> str:
    """The version of the document to serve for the event's ``version`` now.

    In a busy room every vote moves the version, and every worker would
    build the document again for each one: with 20 posts a second, each
    worker would spend its time building documents that every participant
    fetches once. A worker serves the one it built last while that is
    younger than ``LIVE_STATE_SETTLE_SECONDS`` (a second: participants poll
    every two), so the document lags the room by at most that, and is built
    at most once a second per worker. 0 (the tests): always the current one.
    """
    settle = current_app.config["LIVE_STATE_SETTLE_SECONDS"]
    last = _latest().get((kind, event_id))
    if last is None or last[0] == version or settle <= 0:
        return version
    built_version, built_at = last
    if time.monotonic() - built_at < settle and state_store().get(
        (kind, event_id, built_version)
    ):
        return built_version
    return version


def _latest() -> dict:
    """Per (kind, event id): the version of the document built last, and when."""
    return current_app.extensions.setdefault("consult.live.latest", {})


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
