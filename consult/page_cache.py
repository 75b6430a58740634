"""A few seconds' cache of whole pages for anonymous visitors ("micro-caching").

A public page that every anonymous visitor sees the same is rendered at most
once per ``PAGE_CACHE_SECONDS`` in each process and served from memory in
between: no query, no template. Logged-in users always get a fresh render, so
organisers see their edits at once; anonymous visitors may see a page up to
``PAGE_CACHE_SECONDS`` old. Each process (gunicorn worker) keeps its own
store, bounded to ``MAX_ENTRIES`` pages.

Only the body and its content type are kept: a cached page carries no cookie
and still passes through the app's after-request hooks (security headers).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

MAX_ENTRIES = 256
_EXTENSION = "consult.page_cache"
# Headers a cached page may come with: everything else a view sets (cookies,
# caching or download headers) would be lost on a hit, so such pages are not kept.
_REPLAYED_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True, slots=True)
class CachedPage:
    body: bytes
    content_type: str
    expires_at: float


class PageStore:
    """A thread-safe, size-bounded LRU store of rendered pages with an expiry."""

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("a page store needs room for at least one page")
        self.max_entries = max_entries
        self.clock = clock
        self._pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedPage | None:
        """The page stored under key, unless absent or expired."""
        now = self.clock()
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires_at <= now:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, body: bytes, content_type: str, seconds: float):
        """Keep a page for seconds; beyond the bound the least recently used goes."""
        page = CachedPage(body, content_type, self.clock() + seconds)
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)


def page_store(app: Flask) -> PageStore:
    """The app's store, made on first use (one per app, so one per worker)."""
    store = app.extensions.get(_EXTENSION)
    if store is None:
        # setdefault is atomic: two first requests at once share one store.
        store = app.extensions.setdefault(_EXTENSION, PageStore())
    return store


def anonymous_page_cache(view):
    """Serve a GET view's page to anonymous visitors from a short-lived cache."""

    @wraps(view)
    def cached_view(*args, **kwargs):
        seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
        if seconds <= 0 or not _cacheable_request():
            return view(*args, **kwargs)
        store = page_store(current_app)
        key = _page_key()
        page = store.get(key)
        if page is not None:
            return Response(page.body, status=200, content_type=page.content_type)
        token_field = _csrf_field()
        # g outlives a request where a test holds the app context: start clean
        # so that a token generated while rendering is seen below.
        g.pop(token_field, None)
        response = current_app.make_response(view(*args, **kwargs))
        if _storable(response, token_field):
            store.put(key, response.get_data(), response.content_type, seconds)
        return response

    return cached_view


def _cacheable_request() -> bool:
    # A query string would make arbitrary keys; flashes and users change the page.
    return (
        request.method in ("GET", "HEAD")
        and not request.args
        and "_flashes" not in session
        and current_user.is_anonymous
    )


def _page_key() -> tuple:
    # Relative links depend on the script root; absolute ones (calendar links)
    # on SERVER_NAME, or the request's host when none is configured.
    return (
        request.endpoint,
        tuple(sorted((request.view_args or {}).items())),
        str(get_locale()),
        current_app.config.get("SERVER_NAME") or request.host,
        request.script_root,
    )


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _storable(response: Response, token_field: str) -> bool:
    headers = {name.lower() for name, _ in response.headers.items()}
    # A page that generated a CSRF token holds this visitor's token: never
    # give it to another visitor, even when the session was not modified
    # because it already had one.
    return (
        response.status_code == 200
        and not response.is_streamed
        and headers <= _REPLAYED_HEADERS
        and not session.modified
        and token_field not in g
        and current_user.is_anonymous
    )
