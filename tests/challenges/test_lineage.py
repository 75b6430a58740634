"""The same challenge across events (issue 24, 2 and 4): a clone's challenges
keep their source's identity, and an organiser may say a challenge is the same
as one of an earlier event of the same host city, and no other."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.challenges.services import (
    ChallengeData,
    add_challenge,
    check_link,
    lineage_members,
    link_candidates,
    link_challenge,
    remove_challenge,
)
from consult.errors import PermissionDenied, ValidationFailed
from consult.events.services import EventData, add_co_organiser, clone_event
from consult.events.services import create_event as make
from consult.extensions import db
from tests.clock import wall
from tests.effects import committed


def city_event(owner, now, *, days=21, city="Petaling Jaya", title="Consultation"):
    event = make(
        owner,
        EventData(
            title=title,
            timezone="Asia/Kuala_Lumpur",
            start=wall(days, 16),
            end=wall(days, 18),
            host_city=city,
            host_country="Malaysia",
        ),
        now=now,
    )
    db.session.commit()
    return event


def challenge_in(event, owner, now, title="Plastic packaging"):
    challenge = add_challenge(
        event, owner, ChallengeData(title, category="plastics_packaging"), now=now
    )
    db.session.commit()
    return challenge


def test_the_identity_is_kept_over_two_clones(organiser, now):
    first = city_event(organiser, now, title="Scoping webinar")
    original = challenge_in(first, organiser, now)
    second = clone_event(first, organiser, now=now, parts=["challenges"])
    db.session.commit()
    third = clone_event(second, organiser, now=now, parts=["challenges"])
    db.session.commit()

    chain = db.session.scalars(select(Challenge).order_by(Challenge.id)).all()
    assert [c.event_id for c in chain] == [first.id, second.id, third.id]
    assert [c.lineage_id for c in chain] == [None, original.id, original.id]
    assert {c.lineage_key for c in chain} == {original.id}
    assert lineage_members(chain[2]) == chain


def test_an_organiser_links_a_challenge_to_an_earlier_events(organiser, now):
    earlier = city_event(organiser, now, days=10, title="Scoping webinar")
    later = city_event(organiser, now, days=40, title="Follow-up")
    old = challenge_in(earlier, organiser, now, "Food waste")
    new = challenge_in(later, organiser, now, "Food and organic waste")

    assert link_candidates(new, organiser) == [old]
    assert link_candidates(old, organiser) == []  # nothing earlier
    link_challenge(new, organiser, old.id, now=now)
    db.session.commit()
    assert committed().get(Challenge, new.id).lineage_id == old.id
    assert lineage_members(new) == [old, new]

    link_challenge(new, organiser, None, now=now)
    db.session.commit()
    assert committed().get(Challenge, new.id).lineage_id is None


def test_the_link_refuses_another_citys_challenge(organiser, now):
    elsewhere = city_event(organiser, now, days=10, city="Iskandar Puteri")
    later = city_event(organiser, now, days=40)
    theirs = challenge_in(elsewhere, organiser, now)
    ours = challenge_in(later, organiser, now)

    assert link_candidates(ours, organiser) == []
    with pytest.raises(ValidationFailed) as refused:
        link_challenge(ours, organiser, theirs.id, now=now)
    assert refused.value.field == "same_as"
    assert "another host city" in refused.value.message
    db.session.rollback()
    assert committed().get(Challenge, ours.id).lineage_id is None


def test_the_link_refuses_an_unmanaged_events_challenge(
    organiser, other_organiser, now
):
    theirs_event = city_event(other_organiser, now, days=10)
    later = city_event(organiser, now, days=40)
    theirs = challenge_in(theirs_event, other_organiser, now)
    ours = challenge_in(later, organiser, now)

    assert link_candidates(ours, organiser) == []
    with pytest.raises(ValidationFailed) as refused:
        check_link(ours, organiser, theirs.id)
    assert refused.value.field == "same_as"
    with pytest.raises(ValidationFailed):
        link_challenge(ours, organiser, theirs.id, now=now)
    db.session.rollback()
    assert committed().get(Challenge, ours.id).lineage_id is None
    # Once a co-organiser of that event, the same link is allowed.
    add_co_organiser(theirs_event, other_organiser, organiser.email, now=now)
    db.session.commit()
    assert link_candidates(ours, organiser) == [theirs]
    link_challenge(ours, organiser, theirs.id, now=now)
    db.session.commit()
    assert committed().get(Challenge, ours.id).lineage_id == theirs.id


def test_the_link_refuses_a_later_event_and_a_stranger(organiser, other_organiser, now):
    earlier = city_event(organiser, now, days=10)
    later = city_event(organiser, now, days=40)
    old = challenge_in(earlier, organiser, now)
    new = challenge_in(later, organiser, now)
    with pytest.raises(ValidationFailed) as refused:
        link_challenge(old, organiser, new.id, now=now)
    assert "does not come before" in refused.value.message
    with pytest.raises(ValidationFailed):
        link_challenge(new, organiser, 2**40, now=now)
    with pytest.raises(PermissionDenied):
        link_challenge(new, other_organiser, old.id, now=now)


def test_a_chain_holds_one_challenge_per_event(organiser, now):
    earlier = city_event(organiser, now, days=10)
    later = city_event(organiser, now, days=40)
    old = challenge_in(earlier, organiser, now)
    first = challenge_in(later, organiser, now, "Packaging")
    second = challenge_in(later, organiser, now, "Sachets")
    link_challenge(first, organiser, old.id, now=now)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        link_challenge(second, organiser, old.id, now=now)
    assert "Packaging" in refused.value.message


def test_removing_the_first_challenge_hands_the_chain_on(organiser, now):
    first = city_event(organiser, now)
    original = challenge_in(first, organiser, now)
    second = clone_event(first, organiser, now=now, parts=["challenges"])
    db.session.commit()
    third = clone_event(second, organiser, now=now, parts=["challenges"])
    db.session.commit()
    remove_challenge(original, organiser, now=now)
    db.session.commit()
    kept = committed().scalars(select(Challenge).order_by(Challenge.id)).all()
    assert [c.event_id for c in kept] == [second.id, third.id]
    assert [c.lineage_id for c in kept] == [None, kept[0].id]


def test_a_linked_root_brings_its_followers(organiser, now):
    earlier = city_event(organiser, now, days=3)
    middle = city_event(organiser, now, days=10)
    old = challenge_in(earlier, organiser, now)
    root = challenge_in(middle, organiser, now)
    clone = clone_event(middle, organiser, now=now + timedelta(days=1), parts=[
        "challenges"
    ])  # fmt: skip
    db.session.commit()
    follower = db.session.scalar(
        select(Challenge).where(Challenge.event_id == clone.id)
    )
    assert follower.lineage_id == root.id
    link_challenge(root, organiser, old.id, now=now)
    db.session.commit()
    assert {c.id for c in lineage_members(old)} == {old.id, root.id, follower.id}


def _edit(client, challenge, same_as: str):
    event = challenge.event
    return client.post(
        f"/manage/events/{event.slug}/challenges/{challenge.id}/edit",
        data={
            "title": challenge.title,
            "category": challenge.category,
            "city": "",
            "description": "",
            "same_as": same_as,
        },
    )


def test_the_edit_form_offers_and_saves_the_link(client, login, organiser, now):
    earlier = city_event(organiser, now, days=10, title="Scoping webinar")
    elsewhere = city_event(organiser, now, days=5, city="Iskandar Puteri")
    later = city_event(organiser, now, days=40)
    old = challenge_in(earlier, organiser, now, "Food waste")
    theirs = challenge_in(elsewhere, organiser, now, "Food losses")
    new = challenge_in(later, organiser, now)
    login(organiser)
    url = f"/manage/events/{later.slug}/challenges/{new.id}/edit"
    page = client.get(url).text
    assert f'<option value="{old.id}">Scoping webinar (' in page
    assert "Food losses" not in page  # another host city: not offered

    refused = _edit(client, new, str(theirs.id))
    assert refused.status_code == 422
    assert 'id="same_as-error"' in refused.text
    assert "another host city" in refused.text
    assert committed().get(Challenge, new.id).lineage_id is None

    saved = _edit(client, new, str(old.id))
    assert saved.status_code == 302
    assert committed().get(Challenge, new.id).lineage_id == old.id
    page = client.get(url).text
    assert f'<option selected value="{old.id}">' in page or (
        f'<option value="{old.id}" selected' in page
    )
    assert "The same challenge at:" in page


def test_the_edit_form_refuses_an_unmanaged_events_challenge(
    client, login, organiser, other_organiser, now
):
    theirs_event = city_event(other_organiser, now, days=10)
    later = city_event(organiser, now, days=40)
    theirs = challenge_in(theirs_event, other_organiser, now)
    ours = challenge_in(later, organiser, now)
    login(organiser)
    refused = _edit(client, ours, str(theirs.id))
    assert refused.status_code == 422
    assert "Choose one of the listed challenges" in refused.text
    assert committed().get(Challenge, ours.id).lineage_id is None
