"""Programme services: editing, organisers, events, pairs, city records, figures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.cities.models import City
from consult.cities.services import city_url, partners_of
from consult.errors import PermissionDenied, ValidationFailed
from consult.events.services import EventData, PartnerCityData, create_event
from consult.events.services.events import update_event
from consult.extensions import db
from consult.programmes.services.city_records import can_edit_city, update_city_record
from consult.programmes.services.dashboard import dashboard_sheet, programme_dashboard
from consult.programmes.services.editing import (
    add_organiser,
    attach_event,
    create_programme,
    detach_event,
    new_event_from_template,
    remove_organiser,
    set_template,
    update_programme,
)
from consult.programmes.services.figures import event_rows, group_totals
from consult.programmes.services.pairs import add_pair, remove_pair
from consult.programmes.services.public_page import public_programme
from tests.clock import wall


def _event(owner, now, title="Scoping webinar", **extra):
    return create_event(
        owner,
        EventData(
            title=title,
            timezone="Asia/Kuala_Lumpur",
            start=wall(10, 9),
            end=wall(10, 11),
            host_city="Petaling Jaya",
            host_country="Malaysia",
            **extra,
        ),
        now=now,
    )


def test_a_programme_has_organisers_and_the_events_they_manage(
    organiser, other_organiser, now
):
    programme = create_programme(organiser, "IUC Asia", "**Pairs**", now=now)
    assert programme.slug == "iuc-asia"
    assert programme.editable_by(organiser)
    assert not programme.editable_by(other_organiser)
    theirs = _event(other_organiser, now, title="Their event")
    with pytest.raises(ValidationFailed) as refused:
        attach_event(programme, organiser, theirs.id, now=now)
    assert refused.value.field == "event_id"
    with pytest.raises(PermissionDenied):
        update_programme(programme, other_organiser, "Mine", "", now=now)
    add_organiser(programme, organiser, "OTHER@example.org", now=now)
    assert programme.editable_by(other_organiser)
    attach_event(programme, other_organiser, theirs.id, now=now)
    assert theirs.programme_id == programme.id
    remove_organiser(programme, other_organiser, organiser.id, now=now)
    with pytest.raises(ValidationFailed):
        remove_organiser(programme, other_organiser, other_organiser.id, now=now)
    detach_event(programme, other_organiser, theirs.id, now=now)
    assert theirs.programme_id is None


def test_a_second_programme_of_one_name_gets_its_own_address(organiser, now):
    first = create_programme(organiser, "IUC Asia", "", now=now)
    second = create_programme(organiser, "IUC Asia", "", now=now)
    assert (first.slug, second.slug) == ("iuc-asia", "iuc-asia-2")
    with pytest.raises(ValidationFailed) as refused:
        create_programme(organiser, "  ", "", now=now)
    assert refused.value.field == "name"


def test_the_event_form_puts_an_event_only_in_a_programme_one_organises(
    organiser, other_organiser, now
):
    theirs = create_programme(other_organiser, "Theirs", "", now=now)
    with pytest.raises(ValidationFailed) as refused:
        _event(organiser, now, programme_id=theirs.id, set_programme=True)
    assert refused.value.field == "programme"
    mine = create_programme(organiser, "Mine", "", now=now)
    event = _event(organiser, now, programme_id=mine.id, set_programme=True)
    assert event.programme_id == mine.id


def test_partner_cities_become_city_records_on_create_and_edit(organiser, now):
    event = _event(
        organiser,
        now,
        partner_cities=[PartnerCityData("Utrecht", "Netherlands")],
    )
    utrecht = event.partner_cities[0].city
    assert (utrecht.slug, utrecht.name) == ("utrecht", "Utrecht")
    assert city_url(utrecht).endswith("/cities/utrecht")
    data = EventData(
        title=event.title,
        timezone=event.timezone,
        start=event.start_at,
        end=event.end_at,
        host_city="Petaling Jaya",
        host_country="Malaysia",
        partner_cities=[
            PartnerCityData("Utrecht", "Netherlands"),
            PartnerCityData("Lyon", "France"),
        ],
    )
    update_event(event, organiser, data, now=now)
    assert [p.city.slug for p in event.partner_cities] == ["utrecht", "lyon"]
    assert event.partner_cities[0].city_id == utrecht.id


def test_city_pairs_list_partners_from_either_side(organiser, now):
    programme = create_programme(organiser, "IUC Asia", "", now=now)
    pair = add_pair(
        programme,
        organiser,
        host=("Petaling Jaya", "Malaysia"),
        partner=("Utrecht", "Netherlands"),
        themes="circular economy, waste",
        now=now,
    )
    with pytest.raises(ValidationFailed, match="paired already"):
        add_pair(
            programme,
            organiser,
            host=("petaling jaya", "Malaysia"),
            partner=("Utrecht", ""),
            themes="",
            now=now,
        )
    with pytest.raises(ValidationFailed, match="own partner"):
        add_pair(
            programme, organiser, host=("Lyon", ""), partner=("Lyon", ""), themes="",
            now=now,
        )  # fmt: skip
    assert [(c.name, t, p.name) for c, t, p in partners_of(pair.host_city)] == [
        ("Utrecht", "circular economy, waste", "IUC Asia")
    ]
    assert [c.name for c, _t, _p in partners_of(pair.partner_city)] == ["Petaling Jaya"]
    remove_pair(programme, organiser, pair.id, now=now)
    assert partners_of(pair.host_city) == []


def test_a_city_record_is_edited_by_those_who_organise_around_it(
    organiser, other_organiser, make_user, now
):
    event = _event(organiser, now)
    city = event.city
    assert can_edit_city(organiser, city)
    assert not can_edit_city(other_organiser, city)
    with pytest.raises(PermissionDenied):
        update_city_record(
            city, other_organiser, region="", population=None, representative_email=""
        )
    with pytest.raises(ValidationFailed) as refused:
        update_city_record(
            city,
            organiser,
            region="South-East Asia",
            population=-1,
            representative_email="nobody@example.org",
        )
    assert [f for f, _m in refused.value.problems] == ["population", "representative"]
    rep = make_user("rep@example.org", role="facilitator")
    update_city_record(
        city,
        organiser,
        region="South-East Asia",
        population=771_687,
        representative_email="REP@example.org",
    )
    db.session.commit()
    stored = db.session.scalar(select(City).where(City.id == city.id))
    assert (stored.region, stored.population, stored.representative_user_id) == (
        "South-East Asia",
        771_687,
        rep.id,
    )


def test_figures_count_participants_and_attendance_per_group(
    organiser, make_reg_event, make_registration, now
):
    event = make_reg_event()
    make_registration(event, type_key="government")
    make_registration(event, type_key="government", attended=True)
    make_registration(event, type_key="research")
    make_registration(event, type_key="research", status="waitlisted")
    programme = create_programme(organiser, "IUC Asia", "", now=now)
    attach_event(programme, organiser, event.id, now=now)
    [row] = event_rows([event])
    counts = {g.key: (g.participants, g.attended) for g in row.groups}
    assert counts["government"] == (2, 1)
    assert counts["research"] == (1, 0)
    assert (row.participants, row.registrations) == (3, 4)
    assert str(row.share(row.groups[0])) in ("67", "0", "33")
    totals = {g.key: g.participants for g in group_totals([row])}
    assert totals["government"] == 2
    shown = public_programme(programme)
    assert [r.event.id for r in shown.rows] == [event.id]
    board = programme_dashboard(programme, organiser)
    sheet = dashboard_sheet(board, now=now)
    assert sheet.rows[0][:5] == [event.title, event.start_at, 4, 3, 1]


def test_a_draft_event_is_not_on_the_public_page(organiser, now):
    programme = create_programme(organiser, "IUC Asia", "", now=now)
    draft = _event(organiser, now)
    attach_event(programme, organiser, draft.id, now=now)
    assert public_programme(programme).rows == []


def test_a_new_event_from_the_template_is_a_full_clone(
    organiser, other_organiser, make_reg_event, now
):
    event = make_reg_event()
    programme = create_programme(organiser, "IUC Asia", "", now=now)
    with pytest.raises(ValidationFailed):
        new_event_from_template(programme, organiser, now=now)
    attach_event(programme, organiser, event.id, now=now)
    set_template(programme, organiser, event.id, now=now)
    clone = new_event_from_template(programme, organiser, now=now)
    assert clone.id != event.id and clone.programme_id == programme.id
    assert {t.key for t in clone_types(clone)} == {t.key for t in clone_types(event)}
    add_organiser(programme, organiser, other_organiser.email, now=now)
    # Another organiser of the programme who does not manage the template.
    with pytest.raises(PermissionDenied):
        new_event_from_template(programme, other_organiser, now=now)


def clone_types(event):
    from consult.registration.models import StakeholderType

    return db.session.scalars(
        select(StakeholderType).where(StakeholderType.event_id == event.id)
    ).all()


def test_the_demo_programme_pairs_petaling_jaya_with_three_cities(app, now):
    from consult.demo import seed_demo

    seeded = seed_demo(now=now)
    programme = seeded.event.programme
    assert programme.name == "International Urban Cooperation — Asia"
    assert programme.template.event_id == seeded.event.id
    partners = partners_of(seeded.event.city)
    assert sorted(c.name for c, _t, _p in partners) == ["Lyon", "Utrecht", "Warsaw"]
    assert all(themes for _c, themes, _p in partners)
    assert (seeded.event.city.region, seeded.event.city.population) == (
        "South-East Asia",
        771_687,
    )
    assert [p.city.slug for p in seeded.event.partner_cities] == [
        "utrecht",
        "warsaw",
        "lyon",
    ]
    # The consultation, with the scoping webinar and Da Nang's
    # (tests/test_demo_programme.py).
    rows = public_programme(programme).rows
    assert len(rows) == 3
    [row] = [r for r in rows if r.event.id == seeded.event.id]
    assert row.participants > 50


def test_an_event_moved_to_another_programme_is_no_longer_the_template(
    organiser, make_reg_event, now
):
    event = make_reg_event()
    first = create_programme(organiser, "First", "", now=now)
    second = create_programme(organiser, "Second", "", now=now)
    attach_event(first, organiser, event.id, now=now)
    set_template(first, organiser, event.id, now=now)
    attach_event(second, organiser, event.id, now=now)
    with pytest.raises(ValidationFailed, match="template event first"):
        new_event_from_template(first, organiser, now=now)
