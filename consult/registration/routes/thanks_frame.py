"""The thank-you page from a frame: rendered once, filled for each person.

The thank-you page is rendered inside the registration POST, the hot path of
a registration surge, and its template (the site's layout, 30 strings, a
dozen links) cost about as much CPU as the registration's own statements.
Everybody who registers for one event in one language with the same outcome
reads the same page except for three values: where the message went, the
waiting-list position and the page's own link (its resend form carries no
CSRF token: the link's token is its proof, see routes/thanks.py). So each
process renders the page once per event version, language and outcome with
a random per-process marker in place of each of those values (a *frame*),
keeps it for ``PAGE_CACHE_SECONDS`` like the anonymous page cache, and for
each person puts their escaped values in the markers' places.

The key holds everything else the page reads: the event's version (every edit
bumps ``registration_version``), the language, the URL, the outcome and the
next steps (the cached survey objects themselves, so a survey edited and read
again makes a new frame). Logged-in visitors and visitors with a pending
flash message get a fresh render, as on the page cache. A frame whose markers
are not where they should be (or that would leave one behind) is not used:
the page is then rendered as usual.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace

from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import escape

from consult.page_cache import PageStore

_EXTENSION = "consult.registration_thanks_frames"
# Letters and digits only: unchanged by HTML escaping and URL quoting.
_MARK = "thanksframe" + secrets.token_hex(8)
_ADDRESS = _MARK + "address"
_TOKEN = _MARK + "token"
# The position goes through "%(position)d": a number nobody else writes.
_POSITION = 10**15 + secrets.randbelow(10**15)
_URL_SAFE = re.compile(r"[A-Za-z0-9_.\-]+\Z")


def render_thanks_page(event, result, page) -> str:
    """The thank-you page's HTML, from this process's frame when one fits."""
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    if seconds <= 0 or not _frameable(page):
        return _render(event, result, page)
    store = _store()
    key = _key(event, result, page)
    kept = store.get(key)
    if kept is not None:
        filled = _fill(kept.body.decode(), result, page)
        if filled is not None:
            return filled
        return _render(event, result, page)
    frame = _render(event, _MarkedResult(result), _marked_page(page))
    filled = _fill(frame, result, page)
    if filled is None:
        return _render(event, result, page)
    store.put(key, frame.encode(), "text/html", seconds)
    return filled


def _render(event, result, page, **extra) -> str:
    return render_template(
        "registration/registered.html", event=event, result=result, page=page, **extra
    )


def _store() -> PageStore:
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions.setdefault(_EXTENSION, PageStore())
    return store


def _frameable(page) -> bool:
    return (
        page is not None
        and current_user.is_anonymous
        and "_flashes" not in session
        and (page.token is None or _URL_SAFE.match(page.token) is not None)
    )


def _key(event, result, page) -> tuple:
    waiting = result.status == "waitlisted"
    return (
        event.id,
        event.created_at,
        event.registration_version,
        event.is_cancelled,
        str(get_locale()),
        request.full_path if request.query_string else request.path,
        request.script_root,
        current_app.config.get("SERVER_NAME") or request.host,
        result.created,
        result.status,
        result.texted_only,
        result.event_full if waiting else None,
        result.type_label if waiting and not result.event_full else None,
        page.token is None,
        page.by_sms,
        page.visitor_zone,
        page.steps,  # page.times: kept per event version and language already
    )


class _MarkedResult:
    """The outcome as the frame shows it: the position is a marker."""

    def __init__(self, result) -> None:
        self._result = result
        self.waitlist_place = _POSITION

    def __getattr__(self, name: str):
        return getattr(self._result, name)


def _marked_page(page):
    return replace(
        page, address=_ADDRESS, token=_TOKEN if page.token is not None else None
    )


def _fill(frame: str, result, page) -> str | None:
    """The frame with this person's values; None when a marker is misplaced."""
    if _ADDRESS not in frame:
        return None
    text = frame.replace(_ADDRESS, str(escape(page.address)))
    if page.token is not None:
        if _TOKEN not in text:
            return None
        text = text.replace(_TOKEN, page.token)
    position = str(_POSITION)
    if position in text:
        place = result.waitlist_place
        if place is None:
            return None
        text = text.replace(position, str(int(place)))
    if _MARK in text:
        return None
    return text
