"""Event services: validation, localisation, lifecycle. No HTTP here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import Event
from consult.events.services import (
    PartnerCityData,
    cancel_event,
    create_event,
    publish_event,
    slugify,
    update_event,
)
from consult.extensions import db
from tests.clock import utc, wall


def test_create_event_stores_a_draft_owned_by_the_actor(organiser, event_data, now):
    event = create_event(organiser, event_data(), now=now)
    db.session.commit()

    stored = db.session.scalar(select(Event).where(Event.id == event.id))
    assert stored.status == "draft"
    assert stored.owner_id == organiser.id
    assert stored.slug == "designing-circular-cities-in-malaysia"
    assert stored.topics == ["Plastics", "Food waste"]
    assert [(c.name, c.country) for c in stored.partner_cities] == [
        ("Brussels", "Belgium"),
        ("Ljubljana", "Slovenia"),
    ]
    assert stored.created_at == now and stored.updated_at == now
    assert stored.sequence == 0


def test_16_00_in_kuala_lumpur_is_stored_as_08_00_utc(organiser, event_data, now):
    event = create_event(organiser, event_data(), now=now)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(Event, event.id)
    assert stored.start_at == utc(21, 8)
    assert stored.end_at == utc(21, 10)
    assert stored.start_at.tzinfo is not None


def test_brussels_event_across_the_dst_change_keeps_wall_clock_times(
    organiser, event_data, now
):
    # Europe/Brussels leaves summer time at 03:00 on Sun 25 Oct 2026.
    event = create_event(
        organiser,
        event_data(
            timezone="Europe/Brussels",
            start=datetime(2026, 10, 24, 14, 0),
            end=datetime(2026, 10, 25, 14, 0),
        ),
        now=now,
    )
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(Event, event.id)
    assert stored.start_at == datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # CEST
    assert stored.end_at == datetime(2026, 10, 25, 13, 0, tzinfo=UTC)  # CET
    assert stored.end_at - stored.start_at == timedelta(hours=25)


def test_a_start_in_the_spring_forward_gap_is_refused(organiser, event_data, now):
    # 02:30 does not happen in Brussels on Sun 28 Mar 2027 (02:00 -> 03:00).
    with pytest.raises(ValidationFailed) as refused:
        create_event(
            organiser,
            event_data(
                timezone="Europe/Brussels",
                start=datetime(2027, 3, 28, 2, 30),
                end=datetime(2027, 3, 28, 4, 0),
            ),
            now=now,
        )
    assert refused.value.field == "start"
    assert "does not exist" in refused.value.message


def test_topics_and_partner_cities_are_tidied(organiser, event_data, now):
    event = create_event(
        organiser,
        event_data(
            topics=["  Plastics ", "plastics", "", "E-waste"],
            partner_cities=[
                PartnerCityData(" Ghent ", " Belgium "),
                PartnerCityData(""),
            ],
        ),
        now=now,
    )
    assert event.topics == ["Plastics", "E-waste"]
    assert [(c.name, c.country) for c in event.partner_cities] == [("Ghent", "Belgium")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"end": wall(21, 15)}, "end"),
        ({"end": wall(21, 16)}, "end"),
        ({"start": None}, "start"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "EST"}, "timezone"),
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"join_url": "ftp://files.example.org/meeting"}, "join_url"),
        ({"join_url": "https://"}, "join_url"),
        ({"join_url": "https://zoom.example.org/j/1 onclick=x"}, "join_url"),
        ({"slug": "Bad Slug!"}, "slug"),
        ({"slug": "double--hyphen"}, "slug"),
        ({"slug": "-leading"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"slug": "manage"}, "slug"),
        ({"capacity": -1}, "capacity"),
        (
            {
                "registration_opens": wall(16, 9),
                "registration_closes": wall(7, 9),
            },
            "registration_closes",
        ),
        (
            {"registration_closes": wall(21, 18, 30)},
            "registration_closes",
        ),
        ({"topics": ["x" * 81]}, "topics"),
        ({"partner_cities": [PartnerCityData("", "Belgium")]}, "partner_cities"),
    ],
)
def test_invalid_event_input_is_refused_on_its_field(
    organiser, event_data, now, overrides, field
):
    with pytest.raises(ValidationFailed) as caught:
        create_event(organiser, event_data(**overrides), now=now)
    assert caught.value.field == field
    assert caught.value.message
    db.session.rollback()
    assert db.session.scalar(select(Event.id)) is None


def test_duplicate_slug_is_refused(organiser, make_event, event_data, now):
    make_event(organiser, slug="circular-2026")
    with pytest.raises(ValidationFailed) as caught:
        create_event(organiser, event_data(slug="circular-2026"), now=now)
    assert caught.value.field == "slug"
    assert "circular-2026" in caught.value.message


def test_generated_slugs_are_ascii_and_unique(organiser, make_event):
    first = make_event(organiser, title="Café Ōsaka: Circular Cities!")
    second = make_event(organiser, title="Café Ōsaka: Circular Cities!")
    assert first.slug == "cafe-osaka-circular-cities"
    assert second.slug == "cafe-osaka-circular-cities-2"


def test_slugify_falls_back_and_avoids_reserved_words(organiser, make_event):
    assert slugify("循环城市") == "event"
    assert make_event(organiser, title="New").slug == "new-2"


def test_registration_closing_exactly_at_the_end_is_allowed(organiser, event_data, now):
    event = create_event(
        organiser,
        event_data(
            registration_opens=wall(7, 9),
            registration_closes=wall(21, 18),
        ),
        now=now,
    )
    assert event.registration_closes_at == event.end_at
    assert event.registration_opens_at == utc(7, 1)


def test_a_past_start_is_allowed(organiser, event_data, now):
    event = create_event(
        organiser,
        event_data(start=wall(-30, 10), end=wall(-30, 11)),
        now=now,
    )
    assert event.start_at < now


def test_experts_cannot_create_events(make_user, event_data, now):
    expert = make_user("expert@example.org", role="expert")
    with pytest.raises(PermissionDenied):
        create_event(expert, event_data(), now=now)


def test_editing_a_draft_keeps_the_sequence(organiser, make_event, event_data, now):
    event = make_event(organiser)
    later = now + timedelta(hours=1)
    update_event(event, organiser, event_data(start=wall(21, 17)), now=later)
    assert event.sequence == 0
    assert event.updated_at == later


def test_time_change_of_a_published_event_bumps_the_sequence(
    organiser, make_event, event_data, now
):
    event = make_event(organiser, publish=True)
    later = now + timedelta(hours=1)
    update_event(
        event,
        organiser,
        event_data(start=wall(21, 17), end=wall(21, 19)),
        now=later,
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.sequence == 1
    assert stored.start_at == utc(21, 9)
    assert stored.updated_at == later


@pytest.mark.parametrize(
    ("overrides", "bumps"),
    [
        ({"title": "A new title"}, True),
        ({"join_url": "https://teams.example.org/new"}, True),
        ({"end": wall(21, 18, 30)}, True),
        ({"summary": "Only the summary changes."}, False),
        ({"topics": ["Construction"]}, False),
    ],
)
def test_only_calendar_relevant_changes_bump_the_sequence(
    organiser, make_event, event_data, now, overrides, bumps
):
    event = make_event(organiser, publish=True)
    update_event(event, organiser, event_data(**overrides), now=now)
    assert event.sequence == (1 if bumps else 0)


def test_other_organisers_cannot_update(
    organiser, other_organiser, make_event, event_data, now
):
    event = make_event(organiser)
    with pytest.raises(PermissionDenied):
        update_event(event, other_organiser, event_data(title="Hijacked"), now=now)


def test_update_keeps_own_slug_and_refuses_anothers(
    organiser, make_event, event_data, now
):
    make_event(organiser, slug="taken")
    event = make_event(organiser, slug="mine")
    update_event(event, organiser, event_data(slug="mine", title="Renamed"), now=now)
    assert event.slug == "mine"
    with pytest.raises(ValidationFailed) as caught:
        update_event(event, organiser, event_data(slug="taken"), now=now)
    assert caught.value.field == "slug"


def test_publish_then_cancel(organiser, make_event, now):
    event = make_event(organiser)
    publish_event(event, organiser, now=now)
    assert event.status == "published" and event.published_at == now
    with pytest.raises(ValidationFailed):
        publish_event(event, organiser, now=now)

    cancel_event(event, organiser, "  The venue's network is down.  ", now=now)
    db.session.commit()
    assert event.status == "cancelled"
    assert event.cancellation_reason == "The venue's network is down."
    assert event.cancelled_at == now
    assert event.sequence == 1  # calendar clients need a higher SEQUENCE to cancel


def test_cancel_needs_a_reason_and_a_published_event(organiser, make_event, now):
    draft = make_event(organiser)
    with pytest.raises(ValidationFailed):
        cancel_event(draft, organiser, "reason", now=now)
    published = make_event(organiser, publish=True)
    with pytest.raises(ValidationFailed) as caught:
        cancel_event(published, organiser, "   ", now=now)
    assert caught.value.field == "reason"
    assert published.status == "published"


def test_a_cancelled_event_cannot_be_edited(organiser, make_event, event_data, now):
    event = make_event(organiser, publish=True)
    cancel_event(event, organiser, "Postponed", now=now)
    with pytest.raises(ValidationFailed):
        update_event(event, organiser, event_data(title="Back on"), now=now)
