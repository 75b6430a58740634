"""The city page's queries: what it shows, in which order, and what it never shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.actions.services.public_priorities import (
    SHOWN,
    TOO_FEW,
    UNPUBLISHED,
    challenge_priorities,
)
from consult.challenges.models import Challenge
from consult.cities.models import City
from consult.cities.page import city_page, partner_cities
from consult.cities.services import city_for_host
from consult.dashboard.services.publication import unpublish_results
from consult.errors import NotFound
from consult.extensions import db
from consult.programmes.models import CityPair, Programme
from tests.actions.conftest import SECRET_TITLE
from tests.cities.conftest import SECRET
from tests.dashboard.conftest import types_of
from tests.factories import create_reg_event

OTHER = "Other groups (combined)"


def _page(world):
    return city_page(world.city.slug, priorities_of=challenge_priorities)


def _labels(event):
    return {key: t.label for key, t in types_of(event).items()}


def test_consultations_are_the_published_events_newest_first(city_world):
    page = _page(city_world)
    assert page.events == [city_world.consultation, city_world.scoping]


def test_challenges_are_grouped_by_lineage_in_the_order_they_first_appeared(
    city_world,
):
    page = _page(city_world)
    rows = [
        ([c.title for c in lineage.challenges], lineage.events)
        for lineage in page.lineages
    ]
    scoping, consultation = city_world.scoping, city_world.consultation
    assert rows == [
        (["Food waste (scoping)", "Food and organic waste"], [scoping, consultation]),
        (
            ["Plastics (scoping)", "Plastic pollution and packaging"],
            [scoping, consultation],
        ),
        (["Scoping only"], [scoping]),
        (["Household e-waste"], [consultation]),
    ]
    # A lineage is named after its latest appearance.
    assert page.lineages[0].latest.title == "Food and organic waste"


def test_each_groups_priorities_sit_side_by_side_per_event(city_world):
    food = _page(city_world).lineages[0]
    assert [p.state for p in food.priorities] == [SHOWN, SHOWN]
    labels = _labels(city_world.consultation)
    rows = {row.label: row for row in food.groups}
    # Scoping: government 5 and private 5 both shown; the consultation:
    # government 5 alone, the others (7) only together.
    assert set(rows) == {labels["government"], labels["private"], OTHER}
    government = [cell.rank for cell in rows[labels["government"]].cells]
    assert government == [3, 1]  # last at the scoping, first a year later
    private = rows[labels["private"]].cells
    assert private[0].rank == 1 and private[1] is None
    combined = rows[OTHER].cells
    assert combined[0] is None and combined[1].ballots == 7
    assert rows[OTHER].combined
    # The combined row comes last.
    assert food.groups[-1].label == OTHER


def test_small_groups_are_never_shown_on_their_own(city_world):
    labels = _labels(city_world.consultation)
    for lineage in _page(city_world).lineages:
        shown = {row.label for row in lineage.groups}
        assert labels["research"] not in shown
        assert labels["civil_society"] not in shown
        for row in lineage.groups:
            assert all(cell is None or cell.ballots >= 5 for cell in row.cells)


def test_a_threshold_above_the_ballots_shows_no_figures(app, city_world, monkeypatch):
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 11)
    food = _page(city_world).lineages[0]
    # 10 ballots at the scoping: too few; 12 at the consultation: shown, but
    # no group reaches 11 alone.
    assert [p.state for p in food.priorities] == [TOO_FEW, SHOWN]
    assert food.priorities[0].groups == []
    assert all(row.cells[0] is None for row in food.groups)
    assert all(
        cell is None or cell.ballots >= 11 for r in food.groups for cell in r.cells
    )


def test_unpublished_results_show_no_priorities(city_world):
    unpublish_results(city_world.scoping)
    db.session.commit()
    food = _page(city_world).lineages[0]
    assert [p.state for p in food.priorities] == [UNPUBLISHED, SHOWN]
    assert all(row.cells[0] is None for row in food.groups)
    assert not _page(city_world).lineages[2].any_shown  # "Scoping only"


def test_draft_events_show_nothing(city_world):
    page = _page(city_world)
    assert city_world.draft not in page.events
    titles = [c.title for lineage in page.lineages for c in lineage.challenges]
    assert not [t for t in titles if SECRET in t]
    assert not [p for p in page.partners if SECRET in p.name]
    assert not [e for e in page.library if SECRET in e.title]


def test_partner_cities_are_distinct_and_from_published_events(city_world):
    names = [(p.name, p.country) for p in partner_cities(city_world.city)]
    assert names == [
        ("Lyon", "France"),
        ("Utrecht", "Netherlands"),
        ("Warsaw", "Poland"),
    ]


def test_library_has_its_events_entries_and_those_naming_it(city_world):
    titles = {entry.title for entry in _page(city_world).library}
    assert titles == {"Composting guide", "Petaling Jaya repair cafés"}


def test_plan_summary_counts_published_actions_only(city_world):
    page = _page(city_world)
    assert page.plan == city_world.plan
    summary = page.plan_summary
    # The pilot (40%) and the study (0%); the secret action is not counted.
    assert (summary.actions, summary.done, summary.progress) == (2, 0, 20)
    for action in city_world.plan.actions:
        action.published_at = None
    db.session.commit()
    page = _page(city_world)
    assert page.plan is None and page.plan_summary is None


def test_covenant_pillars_show_published_serving_actions_only(city_world):
    page = _page(city_world)
    assert [p.key for p in page.covenant] == ["mitigation", "adaptation"]
    ((mitigation, served),) = page.covenant[0].commitments
    assert mitigation == city_world.mitigation
    assert served == [city_world.pilot]
    assert SECRET_TITLE not in {a.title for a in served}
    assert page.covenant[1].commitments == [(city_world.adaptation, [])]


def test_an_unknown_city_is_not_found(app):
    with pytest.raises(NotFound):
        city_page("atlantis", priorities_of=challenge_priorities)


def test_a_city_with_only_draft_events_shows_none_of_them(app, organiser, now):
    city = city_for_host("Shah Alam", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    event = create_reg_event(organiser, now, publish=False, title=f"{SECRET} event")
    event.host_city, event.host_city_id = city.name, city.id
    db.session.add(
        Challenge(event_id=event.id, position=0, title=SECRET, category="other")
    )
    db.session.commit()
    page = city_page(city.slug, priorities_of=challenge_priorities)
    assert page.city == city
    assert (page.events, page.lineages, page.partners, page.library) == ([], [], [], [])
    assert page.plan is None and page.covenant == []


def test_a_programme_pair_comes_first_with_its_themes(city_world, organiser, now):
    lyon = next(p for p in partner_cities(city_world.city) if p.name == "Lyon")
    programme = Programme(
        slug="iuc-asia", name="IUC Asia", description_md="", created_at=now
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        CityPair(
            programme_id=programme.id,
            host_city_id=city_world.city.id,
            partner_city_id=db.session.scalar(
                select(City.id).where(City.slug == lyon.slug)
            ),
            themes="Food waste",
        )
    )
    db.session.flush()
    partners = partner_cities(city_world.city)
    assert [(p.name, p.themes) for p in partners] == [
        ("Lyon", "Food waste"),
        ("Utrecht", ""),
        ("Warsaw", ""),
    ]
    assert partners[0].programme.slug == "iuc-asia"
