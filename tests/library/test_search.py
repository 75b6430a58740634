"""Library search on both engines: stemming, every word, ranking, filters, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.library.services import LibraryQuery, search_library, search_terms


def titles(page) -> list[str]:
    return [entry.title for entry in page.entries]


def search(q="", **filters):
    return search_library(LibraryQuery(q=q, **filters))


def test_terms_drop_stop_words_punctuation_and_repeats():
    assert search_terms("The PLASTICS, and e-waste; plastics!") == [
        "plastics",
        "e",
        "waste",
    ]
    assert search_terms('"NEAR(a b)" OR title:x* -y') == [
        "near",
        "b",
        "title",
        "x",
        "y",
    ]


def test_a_word_finds_its_other_forms(lib_event, make_resource):
    make_resource(lib_event, title="Plastic bag ban", summary="Shops stopped it.")
    make_resource(lib_event, title="Recycled concrete", summary="Builders recycle.")
    assert titles(search("plastics")) == ["Plastic bag ban"]
    assert titles(search("PLASTIC")) == ["Plastic bag ban"]
    assert titles(search("recycling")) == ["Recycled concrete"]


def test_every_word_must_appear_somewhere(lib_event, make_resource):
    make_resource(lib_event, title="Plastic bag ban", summary="In Lyon shops.")
    make_resource(lib_event, title="Plastic roads", summary="Asphalt in Chennai.")
    assert titles(search("plastic lyon")) == ["Plastic bag ban"]
    assert titles(search("plastic chennai asphalt")) == ["Plastic roads"]
    assert search("plastic tokyo").total == 0


def test_no_prefix_matching(lib_event, make_resource):
    make_resource(lib_event, title="Plastic bag ban")
    assert search("plast").total == 0


def test_body_results_city_and_organisation_are_searched(
    lib_event, make_input, make_resource
):
    make_input(
        lib_event,
        title="Take-back scheme",
        body="Neighbourhood **composting** hubs.",
        results="Landfill halved.",
        city="Ljubljana",
        organisation="Snaga",
    )
    for q in ("composting", "landfill", "ljubljana", "snaga"):
        assert titles(search(q)) == ["Take-back scheme"], q


def test_title_match_ranks_above_body_match(lib_event, make_resource, now):
    # The body-only match is newer, so only relevance can put the title first.
    make_resource(
        lib_event,
        title="Repair cafés",
        summary="Volunteers fix appliances; some plastic parts are reprinted.",
        when=now,
    )
    make_resource(
        lib_event,
        title="Plastic packaging tax",
        summary="A levy on packaging.",
        when=now - timedelta(days=30),
    )
    assert titles(search("plastic")) == ["Plastic packaging tax", "Repair cafés"]


def test_without_a_search_newest_first(lib_event, make_resource, now):
    for days, title in [(3, "Old"), (1, "New"), (2, "Middle")]:
        make_resource(lib_event, title=title, when=now - timedelta(days=days))
    assert titles(search()) == ["New", "Middle", "Old"]


def test_filters_by_category_country_and_event(
    lib_event, make_reg_event, make_resource
):
    other_event = make_reg_event(title="Circular Warsaw")
    make_resource(lib_event, title="A", category="water", country="MY")
    make_resource(lib_event, title="B", category="energy", country="MY")
    make_resource(other_event, title="C", category="water", country="PL")
    assert titles(search(category="water")) == ["C", "A"]
    assert titles(search(country="my")) == ["B", "A"]
    assert titles(search(event_id=other_event.id)) == ["C"]
    assert titles(search(category="water", country="MY")) == ["A"]
    assert titles(search(category="water", event_id=lib_event.id)) == ["A"]


def test_filters_combine_with_the_search(lib_event, make_resource):
    make_resource(lib_event, title="Plastic A", category="water")
    make_resource(lib_event, title="Plastic B", category="energy")
    assert titles(search("plastic", category="energy")) == ["Plastic B"]


def test_pagination(lib_event, make_resource, now):
    for i in range(45):
        make_resource(lib_event, title=f"Entry {i:02d}", when=now - timedelta(hours=i))
    first = search_library(LibraryQuery(), page=1, per_page=20)
    third = search_library(LibraryQuery(), page=3, per_page=20)
    assert (first.total, first.pages, first.has_prev, first.has_next) == (
        45,
        3,
        False,
        True,
    )
    assert titles(first)[:2] == ["Entry 00", "Entry 01"]
    assert titles(third) == ["Entry 40", "Entry 41", "Entry 42", "Entry 43", "Entry 44"]
    assert third.has_prev and not third.has_next
    assert search_library(LibraryQuery(), page=4, per_page=20).entries == []


def test_search_results_paginate_in_rank_order(lib_event, make_resource):
    for i in range(25):
        make_resource(lib_event, title=f"Compost {i}", summary="compost " * (i % 3))
    page_one = search_library(LibraryQuery(q="compost"), page=1, per_page=10)
    rest = [
        e.id
        for p in (2, 3)
        for e in search_library(LibraryQuery(q="compost"), page=p, per_page=10).entries
    ]
    ids = [e.id for e in page_one.entries] + rest
    assert page_one.total == 25
    assert len(ids) == len(set(ids)) == 25


@pytest.mark.parametrize(
    "q",
    ['"', "'", "NEAR(plastic bag)", "plastic*", "title:plastic", "-plastic", "(", "^x",
     "plastic OR", "AND", "' OR 1=1 --", "\\", "💥", "a" * 500],
)  # fmt: skip
def test_search_syntax_in_the_text_is_never_an_error(lib_event, make_resource, q):
    make_resource(lib_event, title="Plastic bag ban")
    page = search(q)
    assert page.total == len(page.entries)


def test_only_stop_words_find_nothing(lib_event, make_resource):
    make_resource(lib_event, title="The best of the city")
    assert search("the and of").total == 0


def test_draft_events_stay_out(make_reg_event, make_resource):
    draft = make_reg_event(title="Draft", publish=False)
    make_resource(draft, title="Secret plastic plan")
    assert search("plastic").total == 0
    assert search().total == 0


def test_an_edit_is_found_by_its_new_words_only(
    lib_event, make_resource, organiser, now
):
    from consult.extensions import db
    from consult.library.services import ResourceData, update_resource

    entry = make_resource(lib_event, title="Composting guide")
    update_resource(
        entry,
        organiser,
        ResourceData(
            title="Refill shops guide", category="other", event_id=lib_event.id
        ),
        now=now,
    )
    db.session.commit()
    assert search("composting").total == 0
    assert titles(search("refill")) == ["Refill shops guide"]


def test_a_search_lists_at_most_a_window_of_the_newest_matches(
    lib_event, make_resource, now, monkeypatch
):
    from consult.library.services import search as search_module

    monkeypatch.setattr(search_module, "RESULT_WINDOW", 4)
    # Six matches; the oldest one has the word in its title.
    make_resource(lib_event, title="Compost", when=now - timedelta(days=10))
    for i in range(5):
        make_resource(
            lib_event,
            title=f"Guide {i}",
            summary="Some compost.",
            when=now - timedelta(days=i),
        )
    page = search_library(LibraryQuery(q="compost"), per_page=3)
    assert page.more_than_window and page.shown_total == 4 and page.pages == 2
    second = search_library(LibraryQuery(q="compost"), page=2, per_page=3)
    assert titles(page) + titles(second) == ["Guide 0", "Guide 1", "Guide 2", "Guide 3"]
    # Narrower: the old title match is found and ranked first.
    narrow = search_library(LibraryQuery(q="compost", category="other"), per_page=10)
    assert narrow.more_than_window
    make_resource(lib_event, title="Compost toilets", category="water")
    water = search_library(LibraryQuery(q="compost", category="water"))
    assert titles(water) == ["Compost toilets"] and not water.more_than_window


def test_the_window_ranks_by_relevance_inside_it(
    lib_event, make_resource, now, monkeypatch
):
    from consult.library.services import search as search_module

    monkeypatch.setattr(search_module, "RESULT_WINDOW", 3)
    make_resource(lib_event, title="Guide A", summary="compost", when=now)
    make_resource(lib_event, title="Compost B", when=now - timedelta(days=1))
    make_resource(
        lib_event, title="Guide C", summary="compost", when=now - timedelta(days=2)
    )
    make_resource(lib_event, title="Compost D", when=now - timedelta(days=3))
    assert titles(search("compost")) == ["Compost B", "Guide A", "Guide C"]


def test_filter_options_list_only_what_public_entries_have(
    lib_event, make_reg_event, make_resource, make_input
):
    from consult.extensions import db
    from consult.library.services import filter_options

    draft = make_reg_event(title="Draft", publish=False)
    other = make_reg_event(title="Other published")
    make_resource(lib_event, title="A", country="MY")
    make_resource(lib_event, title="B", country="NL")
    make_resource(lib_event, title="No country", country="")
    make_resource(draft, title="Hidden by draft", country="FR")
    hidden = make_input(other, country="PL")
    hidden.state = "hidden"  # without sync: the options check the input too
    db.session.commit()
    countries, events = filter_options()
    assert countries == ["MY", "NL"]
    assert [e.id for e in events] == [lib_event.id]
