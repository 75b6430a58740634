"""Pages with personal data say ``Cache-Control: no-store``; anonymous public
pages keep their caching (and the public event page its page cache)."""

from __future__ import annotations

import pytest

from consult.page_cache import page_store
from consult.security import forbid_storing, holds_personal_data
from tests.security.conftest import client_for
from tests.security.policy import is_manage, is_token

PUBLIC_PAGES = ("events.index", "events.detail", "library.index", "calendar.event_ics")


def _no_store(headers) -> bool:
    directives = {
        part.strip().lower() for part in headers.get("Cache-Control", "").split(",")
    }
    return "no-store" in directives


def _rules(world_app) -> dict:
    return {rule.endpoint: rule for rule in world_app.url_map.iter_rules()}


def test_which_requests_hold_personal_data(world_app, world):
    def holds(path: str, method: str = "GET") -> bool:
        # A fresh application context, so no user another test's request
        # left in the package-wide context's ``g`` (Flask-Login's cache)
        # counts as signed in here.
        with (
            world_app.app_context(),
            world_app.test_request_context(path, method=method),
        ):
            world_app.preprocess_request()
            return holds_personal_data()

    assert not holds(f"/events/{world.a.slug}")
    for path, method in [
        (f"/manage/events/{world.a.slug}/registrations", "GET"),
        (f"/events/{world.a.slug}/registration/{world.a.tokens['manage']}", "GET"),
        (f"/events/{world.a.slug}/register", "POST"),
    ]:
        assert holds(path, method), path
    assert not holds("/static/css/app.css")


def test_forbid_storing_replaces_a_caching_header_and_keeps_a_stricter_one(world_app):
    with world_app.test_request_context():
        cached = world_app.response_class("x", headers={"Cache-Control": "max-age=60"})
        strict = world_app.response_class(
            "x", headers={"Cache-Control": "private, no-store"}
        )
        forbid_storing(cached)
        forbid_storing(strict)
    assert cached.headers["Cache-Control"] == "no-store"
    assert strict.headers["Cache-Control"] == "private, no-store"


def test_every_organiser_and_bearer_link_page_is_no_store(world_app, get_sweep):
    rules = _rules(world_app)
    personal = [
        f
        for f in get_sweep
        if is_manage(rules[f.endpoint]) or is_token(rules[f.endpoint])
    ]
    # Organiser pages, exports and every kind of bearer link were asked.
    assert len(personal) > 80
    assert {"registration.manage", "registration.self_export", "calendar.feed"} <= {
        f.endpoint for f in personal
    }
    assert any(f.url.endswith(".csv") for f in personal)
    failures = [
        f"{f.url} ({f.status}): {f.headers.get('Cache-Control')!r}"
        for f in personal
        if not _no_store(f.headers)
    ]
    assert not failures, "\n".join(failures)


def test_every_csv_download_of_the_sweep_names_one_charset(get_sweep):
    csv = [
        f for f in get_sweep if f.headers.get("Content-Type", "").startswith("text/csv")
    ]
    assert len(csv) >= 3
    for fetched in csv:
        assert fetched.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]


def test_anonymous_public_pages_keep_their_caching(get_sweep):
    public = [f for f in get_sweep if f.endpoint in PUBLIC_PAGES]
    assert {f.endpoint for f in public} == set(PUBLIC_PAGES)
    assert [f.url for f in public if _no_store(f.headers)] == []


@pytest.mark.parametrize(
    "suffix", ["/", "/registrations", "/registrations.csv", "/export.xlsx"]
)
def test_a_signed_out_visitor_of_organiser_urls_is_not_cached_either(
    world_app, world, suffix
):
    response = client_for(world_app).get(f"/manage/events/{world.a.slug}{suffix}")
    assert response.status_code in (302, 401)
    assert _no_store(response.headers)


def test_a_signed_in_organiser_sees_even_public_pages_uncached(world_app, world):
    client = client_for(world_app, world.a.owner_id)
    for url in ("/", f"/events/{world.a.slug}", "/library"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response.headers), url


def test_a_form_answer_echoing_typed_data_is_not_cached(world_app, world):
    response = client_for(world_app).post(
        f"/events/{world.a.slug}/register",
        data={"full_name": "Siti Aminah", "email": "not-an-address"},
    )
    assert _no_store(response.headers)


def test_the_public_event_page_cache_still_serves_anonymous_visitors(
    world_app, world, monkeypatch
):
    monkeypatch.setitem(world_app.config, "PAGE_CACHE_SECONDS", 60)
    store = page_store(world_app)
    store.clear()
    try:
        visitor = client_for(world_app)
        first = visitor.get(f"/events/{world.a.slug}")
        assert len(store) == 1  # kept for the next anonymous visitor
        again = client_for(world_app).get(f"/events/{world.a.slug}")
        organiser = client_for(world_app, world.a.owner_id).get(
            f"/events/{world.a.slug}"
        )
    finally:
        store.clear()
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert not _no_store(first.headers) and not _no_store(again.headers)
    assert _no_store(organiser.headers)
