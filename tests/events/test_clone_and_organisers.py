"""Cloning events and managing co-organisers (services)."""

from __future__ import annotations

import pytest

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.access import can_manage
from consult.events.services import (
    add_co_organiser,
    cancel_event,
    clone_event,
    remove_co_organiser,
)
from consult.extensions import db
from consult.timeutil import localize
from tests.clock import utc, wall


def test_clone_is_a_new_draft_a_week_later_with_agenda_but_no_organisers(
    organiser, co_organiser, other_organiser, event_with_agenda, now
):
    add_co_organiser(event_with_agenda, organiser, co_organiser.email, now=now)
    db.session.commit()

    clone = clone_event(event_with_agenda, co_organiser, now=now)
    db.session.commit()

    assert clone.id != event_with_agenda.id
    assert clone.status == "draft" and clone.sequence == 0
    assert clone.slug == "designing-circular-cities-in-malaysia-2"
    assert clone.owner_id == co_organiser.id
    assert clone.co_organisers == []
    assert clone.join_url == ""
    assert clone.description_md == event_with_agenda.description_md
    assert clone.topics == ["Plastics", "Food waste"]
    assert [(c.name, c.country) for c in clone.partner_cities] == [
        ("Brussels", "Belgium"),
        ("Ljubljana", "Slovenia"),
    ]
    assert clone.start_at == utc(28, 8)
    assert clone.end_at == utc(28, 10)
    [session] = clone.sessions
    assert session.start_at == utc(28, 8, 30)
    assert [s.name for s in session.speakers] == ["Aisha Rahman"]
    # The original is untouched.
    original = event_with_agenda.sessions[0]
    assert original.start_at == utc(21, 8, 30)
    assert len(original.speakers) == 1
    assert not can_manage(other_organiser, clone)


def test_clone_of_a_past_event_lands_in_the_future_at_the_same_wall_time(
    organiser, make_event, now
):
    # A Brussels event half a year old keeps 14:00 local when cloned.
    event = make_event(
        organiser,
        publish=True,
        timezone="Europe/Brussels",
        start=wall(-182, 14),
        end=wall(-182, 16),
    )
    clone = clone_event(event, organiser, now=now)
    assert clone.start_at > now
    assert clone.start_at.weekday() == event.start_at.weekday()
    # 26 weeks ago (the other side of a daylight-saving change) -> today, still
    # ahead at 14:00 Brussels time, whatever the offset is today.
    assert clone.start_at == localize(wall(0, 14), "Europe/Brussels")


def test_a_cancelled_event_can_be_cloned(organiser, make_event, now):
    event = make_event(organiser, publish=True)
    cancel_event(event, organiser, "Postponed", now=now)
    assert clone_event(event, organiser, now=now).status == "draft"


def test_other_organiser_cannot_clone(other_organiser, event_with_agenda, now):
    with pytest.raises(PermissionDenied):
        clone_event(event_with_agenda, other_organiser, now=now)


def test_add_co_organiser_by_normalised_email(organiser, co_organiser, make_event, now):
    event = make_event(organiser)
    link = add_co_organiser(event, organiser, "  CO@Example.ORG ", now=now)
    db.session.commit()
    assert link.user_id == co_organiser.id and link.added_at == now
    assert can_manage(co_organiser, event)


@pytest.mark.parametrize(
    ("email", "fragment"),
    [
        ("nobody@example.org", "No account"),
        ("organiser@example.org", "owns this event"),
        ("co@example.org", "already"),
        ("expert@example.org", "not an active organiser"),
        ("not-an-email", "email address"),
    ],
)
def test_add_co_organiser_refusals(
    organiser, co_organiser, make_user, make_event, now, email, fragment
):
    make_user("expert@example.org", role="expert")
    event = make_event(organiser)
    add_co_organiser(event, organiser, co_organiser.email, now=now)
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        add_co_organiser(event, organiser, email, now=now)
    assert caught.value.field == "email"
    assert fragment in caught.value.message


def test_remove_co_organiser(organiser, co_organiser, make_event, now):
    event = make_event(organiser)
    add_co_organiser(event, organiser, co_organiser.email, now=now)
    db.session.commit()
    remove_co_organiser(event, organiser, co_organiser.id, now=now)
    db.session.commit()
    assert event.co_organisers == []
    assert not can_manage(co_organiser, event)


def test_owner_is_not_a_removable_co_organiser(organiser, make_event, now):
    from consult.errors import NotFound

    event = make_event(organiser)
    with pytest.raises(NotFound):
        remove_co_organiser(event, organiser, organiser.id, now=now)
