"""The public library pages through HTTP: search, filters, pages, detail, privacy."""

from __future__ import annotations

import re
from datetime import timedelta

from consult.extensions import db


def body(response) -> str:
    return response.get_data(as_text=True)


def test_empty_library_says_so(client, app):
    response = client.get("/library")
    assert response.status_code == 200
    assert "The library is empty so far" in body(response)


def test_search_page_lists_matches_with_links(
    client, lib_event, make_input, make_resource
):
    item = make_input(lib_event, title="Deposit return for plastic bottles")
    resource = make_resource(
        lib_event, title="Plastics roadmap", category="plastics_packaging"
    )
    make_resource(
        lib_event, title="Water reuse", summary="Grey water.", category="water"
    )
    page = body(client.get("/library?q=plastic"))
    assert "2 results for “plastic”" in page
    assert f'href="/library/{resource.id}"' in page
    assert "Deposit return for plastic bottles" in page
    assert "Water reuse" not in page
    assert f'href="/events/{lib_event.slug}"' in page
    assert item.id


def test_filters_through_the_query_string(client, lib_event, make_resource):
    make_resource(lib_event, title="Water reuse", category="water", country="MY")
    make_resource(lib_event, title="Solar roofs", category="energy", country="PL")
    page = body(client.get("/library?category=energy"))
    assert "Solar roofs" in page and "Water reuse" not in page
    page = body(client.get("/library?country=MY"))
    assert "Water reuse" in page and "Solar roofs" not in page
    page = body(client.get(f"/library?event={lib_event.id}&category=water"))
    assert "Water reuse" in page and "Solar roofs" not in page
    # The filter form offers the countries and events that have entries.
    page = body(client.get("/library"))
    assert '<option value="PL">Poland</option>' in page
    assert f'<option value="{lib_event.id}">' in page


def test_unknown_filter_values_are_ignored_not_errors(client, lib_event, make_resource):
    make_resource(lib_event, title="Water reuse")
    for query in ("category=nope", "event=abc", "page=xyz", "page=-3", "country=%00"):
        response = client.get("/library?" + query)
        assert response.status_code == 200, query


def test_pagination_links_keep_the_search(client, lib_event, make_resource, now):
    for i in range(23):
        make_resource(
            lib_event, title=f"Compost guide {i}", when=now - timedelta(hours=i)
        )
    first = body(client.get("/library?q=compost&category=other"))
    assert "Page 1 of 2" in first
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1)
    assert (
        "q=compost" in next_link
        and "category=other" in next_link
        and "page=2" in next_link
    )
    second = body(client.get(next_link.replace("&amp;", "&")))
    assert "Page 2 of 2" in second
    assert second.count('class="library-card"') == 3
    assert client.get("/library?q=compost&page=9").status_code == 404


def test_detail_page_links_back_to_event_and_challenge(
    client, lib_event, make_input, make_challenge
):
    challenge = make_challenge(lib_event, title="Plastic pollution and packaging")
    item = make_input(lib_event, challenge_id=challenge.id)
    entry_id = item.id and _entry_id(item)
    page = body(client.get(f"/library/{entry_id}"))
    assert "<h1>Deposit return for drinks bottles</h1>" in page
    assert f'href="/events/{lib_event.slug}"' in page
    assert (
        f'href="/events/{lib_event.slug}/challenges#challenge-{challenge.id}"' in page
    )
    assert "Plastic pollution and packaging" in page
    assert "Return rate above 90%." in page
    assert (
        '<a href="https://example.org/deposit" rel="noopener noreferrer nofollow"'
        in page
    )
    assert "Netherlands" in page and "2019–2023" in page


def test_missing_and_draft_entries_are_404(client, make_reg_event, make_resource):
    draft = make_reg_event(title="Draft", publish=False)
    entry = make_resource(draft, title="Not yet")
    assert client.get(f"/library/{entry.id}").status_code == 404
    assert client.get("/library/999999").status_code == 404


def test_author_shown_only_with_consent(
    client, lib_event, make_input, make_registration
):
    named = make_input(
        lib_event, title="Named practice", consent_named=True,
        author="Mei Ling Lim", author_organisation="PJ Recyclers",
    )  # fmt: skip
    anonymous = make_input(
        lib_event, title="Anonymous practice", consent_named=False,
        author="Secret Person", author_organisation="Secret Org",
    )  # fmt: skip
    named_page = body(client.get(f"/library/{_entry_id(named)}"))
    assert "Mei Ling Lim" in named_page and "PJ Recyclers" in named_page
    anonymous_page = body(client.get(f"/library/{_entry_id(anonymous)}"))
    assert "Secret Person" not in anonymous_page and "Secret Org" not in anonymous_page
    listing = body(client.get("/library"))
    assert "Secret Person" not in listing and "Mei Ling Lim" not in listing
    # No email address of any author anywhere.
    assert "@example.org" not in named_page + anonymous_page + listing


def test_erased_author_is_no_longer_named(client, lib_event, make_input, now):
    item = make_input(lib_event, consent_named=True, author="Mei Ling Lim")
    item.registration.erased_at = now
    item.registration.full_name = "Mei Ling Lim"
    db.session.commit()
    assert "Mei Ling Lim" not in body(client.get(f"/library/{_entry_id(item)}"))


def _entry_id(item) -> int:
    from sqlalchemy import select

    from consult.library.models import LibraryEntry

    return db.session.scalar(
        select(LibraryEntry.id).where(LibraryEntry.input_id == item.id)
    )


def test_more_matches_than_listed_are_announced(
    client, lib_event, make_resource, monkeypatch
):
    from consult.library.services import search as search_module

    monkeypatch.setattr(search_module, "RESULT_WINDOW", 2)
    for i in range(3):
        make_resource(lib_event, title=f"Compost {i}")
    page = body(client.get("/library?q=compost"))
    assert "More than 2 results for “compost”" in page
    assert "Only the newest 2 are listed" in page
    assert "More than 2 entries" in body(client.get("/library"))
