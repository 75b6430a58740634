"""The public event page's few seconds' cache for anonymous visitors."""

from __future__ import annotations

import pytest
from flask import g, make_response, render_template_string, session
from sqlalchemy import event as sa_event
from sqlalchemy import update

from consult.events.models import Event
from consult.events.services import publish_event
from consult.extensions import db
from consult.page_cache import PageStore, anonymous_page_cache, page_store
from tests.visitors import fresh_locale

SECONDS = 5
MANAGE_LINK = "Manage this event"


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(app, clock) -> PageStore:
    """The cache switched on for this app, on the test's clock."""
    app.config["PAGE_CACHE_SECONDS"] = SECONDS
    store = page_store(app)
    store.clock = clock
    return store


@pytest.fixture
def visitor(app):
    """An anonymous visitor's browser (the `client` fixture is for logging in)."""
    return app.test_client()


@pytest.fixture
def statements(app) -> list[str]:
    """Every SQL statement sent to the database from here on."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa_event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def published(organiser, make_event) -> Event:
    return make_event(organiser, publish=True, title="Plastics consultation")


def _retitle(event: Event, title: str) -> None:
    """Change the title behind the app's back, as another worker would."""
    db.session.execute(update(Event).where(Event.id == event.id).values(title=title))
    db.session.commit()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- the store -----------------------------------------------------------------


def test_store_serves_a_page_until_it_expires(clock):
    store = PageStore(clock=clock)
    store.put("page", b"<h1>Hi</h1>", "text/html; charset=utf-8", SECONDS)

    clock.advance(SECONDS - 0.1)
    page = store.get("page")
    assert page is not None
    assert (page.body, page.content_type) == (
        b"<h1>Hi</h1>",
        "text/html; charset=utf-8",
    )

    clock.advance(0.1)
    assert store.get("page") is None
    assert len(store) == 0  # the expired page is dropped, not kept


def test_store_keeps_the_most_recently_used_pages_within_its_bound(clock):
    store = PageStore(max_entries=3, clock=clock)
    for key in ("a", "b", "c"):
        store.put(key, key.encode(), "text/html", SECONDS)
    store.get("a")  # now more recent than b and c
    store.put("d", b"d", "text/html", SECONDS)

    assert len(store) == 3
    assert store.get("b") is None
    assert [store.get(key).body for key in ("a", "c", "d")] == [b"a", b"c", b"d"]


def test_store_bound_holds_against_many_keys(clock):
    store = PageStore(max_entries=256, clock=clock)
    for n in range(1000):
        store.put(("events.detail", n), b"x", "text/html", SECONDS)
    assert len(store) == 256
    assert store.get(("events.detail", 743)) is None
    assert store.get(("events.detail", 999)) is not None


def test_store_needs_room_for_a_page():
    with pytest.raises(ValueError, match="at least one page"):
        PageStore(max_entries=0)


# -- the event page --------------------------------------------------------------


def test_second_anonymous_visit_is_served_without_a_query(
    store, visitor, published, statements
):
    url = f"/events/{published.slug}"
    first = _page(visitor, url)
    assert statements, "the first visit renders the page from the database"
    statements.clear()

    second = _page(visitor, url)

    assert second == first
    assert "<h1>Plastics consultation</h1>" in second
    assert statements == []
    assert len(store) == 1


def test_a_browser_naming_no_language_is_served_without_a_query(
    store, app, published, statements
):
    """Without Accept-Language (wrk, some crawlers) the locale falls back to the
    event's own language: asking the database for it on every hit would undo
    the cache. The answer is kept for the cache's seconds, like the page."""
    client = fresh_locale(app.test_client())
    url = f"/events/{published.slug}"
    first = _page(client, url)
    statements.clear()

    second = _page(client, url)

    assert second == first
    assert statements == []


def test_anonymous_copy_is_kept_until_it_expires(store, clock, visitor, published):
    url = f"/events/{published.slug}"
    _page(visitor, url)
    _retitle(published, "Packaging consultation")

    clock.advance(SECONDS - 1)
    assert "<h1>Plastics consultation</h1>" in _page(visitor, url)

    clock.advance(1)
    assert "<h1>Packaging consultation</h1>" in _page(visitor, url)


def test_head_request_is_answered_from_the_cache(store, visitor, published, statements):
    url = f"/events/{published.slug}"
    _page(visitor, url)
    statements.clear()
    response = visitor.head(url)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert statements == []


def test_cache_hit_keeps_the_security_headers_and_sets_no_cookie(
    store, visitor, published
):
    url = f"/events/{published.slug}"
    fresh = visitor.get(url)
    hit = visitor.get(url)

    assert len(store) == 1
    assert hit.get_data() == fresh.get_data()
    assert hit.content_type == "text/html; charset=utf-8"
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
    ):
        assert hit.headers[name] == fresh.headers[name], name
    assert "script-src 'self'" in hit.headers["Content-Security-Policy"]
    assert hit.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in hit.headers


def test_organiser_always_gets_a_fresh_page_that_is_never_shared(
    store, client, login, organiser, visitor, published, statements
):
    url = f"/events/{published.slug}"
    login(organiser)
    assert MANAGE_LINK in _page(client, url)  # rendered first, while the cache is cold
    assert len(store) == 0

    anonymous = _page(visitor, url)
    assert MANAGE_LINK not in anonymous
    assert "Log in" in anonymous

    _retitle(published, "Packaging consultation")
    statements.clear()
    own = _page(client, url)
    assert "<h1>Packaging consultation</h1>" in own and MANAGE_LINK in own
    assert statements, "the organiser's page is rendered, not taken from the cache"

    stale = _page(visitor, url)  # the anonymous copy, still within its seconds
    assert "<h1>Plastics consultation</h1>" in stale
    assert MANAGE_LINK not in stale


def test_organiser_view_of_a_draft_is_not_cached_and_draft_stays_404(
    store, client, login, organiser, visitor, make_event, now
):
    draft = make_event(organiser, title="Hidden draft")
    url = f"/events/{draft.slug}"
    login(organiser)
    assert "Hidden draft" in _page(client, url)

    response = visitor.get(url)
    assert response.status_code == 404
    assert "Hidden draft" not in response.get_data(as_text=True)
    assert len(store) == 0

    publish_event(draft, organiser, now=now)
    db.session.commit()
    # The 404 was not kept: the page shows at once once published.
    assert "<h1>Hidden draft</h1>" in _page(visitor, url)


def test_pending_flash_message_bypasses_the_cache(store, visitor, app, published):
    url = f"/events/{published.slug}"
    flashed = app.test_client()
    with flashed.session_transaction() as data:
        data["_flashes"] = [("info", "Your registration was cancelled.")]

    assert "Your registration was cancelled." in _page(flashed, url)
    assert len(store) == 0
    assert "Your registration was cancelled." not in _page(visitor, url)

    # With a copy cached, a visitor with a message still gets a fresh page.
    _retitle(published, "Packaging consultation")
    with flashed.session_transaction() as data:
        data["_flashes"] = [("info", "Welcome back.")]
    page = _page(flashed, url)
    assert "Welcome back." in page
    assert "<h1>Packaging consultation</h1>" in page


def test_query_string_bypasses_the_cache(store, visitor, published):
    url = f"/events/{published.slug}"
    _page(visitor, f"{url}?utm_source=newsletter")
    assert len(store) == 0

    _page(visitor, url)
    _retitle(published, "Packaging consultation")
    assert "<h1>Packaging consultation</h1>" in _page(visitor, f"{url}?ref=1")
    assert "<h1>Plastics consultation</h1>" in _page(visitor, url)
    assert len(store) == 1


def test_unknown_event_404_is_not_cached(store, visitor):
    assert visitor.get("/events/no-such-event").status_code == 404
    assert len(store) == 0


def test_zero_seconds_turns_the_cache_off(store, app, visitor, published, statements):
    app.config["PAGE_CACHE_SECONDS"] = 0
    url = f"/events/{published.slug}"
    _page(visitor, url)
    _retitle(published, "Packaging consultation")
    statements.clear()

    assert "<h1>Packaging consultation</h1>" in _page(visitor, url)
    assert statements
    assert len(store) == 0


def test_testing_settings_leave_the_cache_off(app, visitor, published):
    assert app.config["PAGE_CACHE_SECONDS"] == 0
    url = f"/events/{published.slug}"
    _page(visitor, url)
    _retitle(published, "Packaging consultation")
    assert "<h1>Packaging consultation</h1>" in _page(visitor, url)


def _in(visitor, url: str, **headers):
    # The requests share the test's app context, where Flask-Babel keeps
    # the locale it chose; a server starts each request without one.
    g.pop("_flask_babel", None)
    return visitor.get(url, headers=headers)


def test_each_language_has_its_own_copy(store, app, visitor, published):
    url = f"/events/{published.slug}"

    english = _in(visitor, url, **{"Accept-Language": "en"})
    malay = _in(visitor, url, **{"Accept-Language": "ms-MY"})
    traditional = _in(visitor, url, **{"Accept-Language": "zh-TW"})
    again = _in(visitor, url, **{"Accept-Language": "en-GB"})

    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<html lang="ms">' in malay.get_data(as_text=True)
    assert ">Acara</a>" in malay.get_data(as_text=True)
    assert '<html lang="zh-Hant">' in traditional.get_data(as_text=True)
    assert again.get_data() == english.get_data()
    assert len(store) == 3


def test_a_visitor_who_chose_malay_never_gets_the_cached_english_page(
    store, app, published
):
    url = f"/events/{published.slug}"
    english_reader, malay_reader = app.test_client(), app.test_client()
    english = _in(english_reader, url, **{"Accept-Language": "en"})
    assert english.status_code == 200 and len(store) == 1

    chosen = _in(malay_reader, f"/language/ms?next={url}")
    assert chosen.status_code == 303
    malay = _in(malay_reader, chosen.headers["Location"], **{"Accept-Language": "en"})
    html = malay.get_data(as_text=True)
    assert '<html lang="ms">' in html and ">Acara</a>" in html
    assert malay.get_data() != english.get_data()
    assert len(store) == 2

    # Both copies now serve their readers from the cache.
    _retitle(published, "Packaging consultation")
    assert _in(malay_reader, url).get_data() == malay.get_data()
    assert _in(english_reader, url, **{"Accept-Language": "en"}).get_data() == (
        english.get_data()
    )


# -- what the decorator refuses to keep ----------------------------------------


@pytest.fixture
def probe(app, store):
    """probe(name, view) -> (url, calls): a cached view whose renders are counted."""

    def _probe(name: str, view):
        calls: list[int] = []

        def counted(**kwargs):
            calls.append(1)
            return view(**kwargs)

        counted.__name__ = f"probe_{name}"
        app.add_url_rule(f"/probe/{name}", view_func=anonymous_page_cache(counted))
        return f"/probe/{name}", calls

    return _probe


def test_plain_page_is_rendered_once(probe, visitor):
    url, calls = probe("plain", lambda: "<p>same for all</p>")
    assert [visitor.get(url).get_data() for _ in range(3)] == [
        b"<p>same for all</p>"
    ] * 3
    assert len(calls) == 1


def test_response_with_a_cookie_is_not_stored(probe, visitor, store):
    def with_cookie():
        response = make_response("<p>hello</p>")
        response.set_cookie("seen", "1")
        return response

    url, calls = probe("cookie", with_cookie)
    for _ in range(2):
        assert "seen=1" in visitor.get(url).headers["Set-Cookie"]
    assert len(calls) == 2
    assert len(store) == 0


def test_page_that_writes_the_session_is_not_stored(probe, visitor, store):
    def remembers():
        session["visited"] = True
        return "<p>hello</p>"

    url, calls = probe("session", remembers)
    for _ in range(2):
        assert "session=" in visitor.get(url).headers["Set-Cookie"]
    assert len(calls) == 2
    assert len(store) == 0


def test_page_with_a_csrf_token_is_never_given_to_another_visitor(
    probe, app, visitor, store
):
    url, calls = probe(
        "form", lambda: render_template_string("<i>{{ csrf_token() }}</i>")
    )
    # A visitor whose session already has a token (and the mark Flask-Login
    # leaves on an anonymous session): rendering changes nothing in the
    # session, yet the page holds their token.
    holder = app.test_client()
    with holder.session_transaction() as data:
        data["csrf_token"] = "a" * 40
        data["_fresh"] = False
    own = holder.get(url).get_data(as_text=True)
    other = visitor.get(url).get_data(as_text=True)

    assert own != other
    assert len(calls) == 2
    assert "Set-Cookie" not in holder.get(url).headers  # the session stays as it was
    assert len(store) == 0


def test_other_statuses_are_not_stored(probe, visitor, store):
    url, calls = probe("accepted", lambda: ("<p>queued</p>", 202))
    for _ in range(2):
        assert visitor.get(url).status_code == 202
    assert len(calls) == 2
    assert len(store) == 0
