"""Organisers' challenge list, the submission window and the method."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.challenges.services import (
    ChallengeData,
    WindowData,
    add_challenge,
    event_challenges,
    move_challenge,
    remove_challenge,
    save_priorities,
    set_archived,
    settings_for,
    update_challenge,
    update_window,
    window_open,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.clock import wall


def test_challenges_are_appended_in_order_and_reordered(ch_event, organiser, now):
    a, b, c = event_challenges(ch_event)
    assert [x.position for x in (a, b, c)] == [0, 1, 2]
    move_challenge(c, organiser, -1, now=now)
    assert [x.id for x in event_challenges(ch_event)] == [a.id, c.id, b.id]
    move_challenge(a, organiser, -1, now=now)  # already first: no change
    move_challenge(b, organiser, 1, now=now)  # already last: no change
    assert [x.id for x in event_challenges(ch_event)] == [a.id, c.id, b.id]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ChallengeData("", "x", "water"), "title"),
        (ChallengeData("T" * 201, "x", "water"), "title"),
        (ChallengeData("Water", "x", "space_travel"), "category"),
        (ChallengeData("Water", "bad\x00char", "water"), "description"),
    ],
)
def test_bad_challenges_are_refused(ch_event, organiser, now, data, field):
    with pytest.raises(ValidationFailed) as err:
        add_challenge(ch_event, organiser, data, now=now)
    assert err.value.field == field


def test_edit_changes_text_and_category(ch_event, organiser, now):
    challenge = event_challenges(ch_event)[0]
    update_challenge(
        challenge,
        organiser,
        ChallengeData("Organic waste", "**New** text", "other", "Shah Alam"),
        now=now,
    )
    assert (challenge.title, challenge.category, challenge.city) == (
        "Organic waste",
        "other",
        "Shah Alam",
    )


def test_challenge_with_inputs_can_only_be_archived(
    ch_event, organiser, now, make_registration, make_input
):
    challenge = event_challenges(ch_event)[0]
    make_input(ch_event, make_registration(ch_event), challenge_id=challenge.id)
    with pytest.raises(ValidationFailed):
        remove_challenge(challenge, organiser, now=now)
    set_archived(challenge, organiser, True, now=now)
    assert challenge not in event_challenges(ch_event)
    assert challenge in event_challenges(ch_event, include_archived=True)
    set_archived(challenge, organiser, False, now=now)
    assert challenge in event_challenges(ch_event)


def test_challenge_with_priorities_can_only_be_archived(
    ch_event, organiser, now, make_registration
):
    reg = make_registration(ch_event)
    ids = [c.id for c in event_challenges(ch_event)]
    save_priorities(reg, {ids[0]: 10}, now=now)
    with pytest.raises(ValidationFailed):
        remove_challenge(event_challenges(ch_event)[0], organiser, now=now)


def test_challenge_without_contributions_is_removed(ch_event, organiser, now):
    challenge = event_challenges(ch_event)[2]
    remove_challenge(challenge, organiser, now=now)
    db.session.commit()
    assert len(event_challenges(ch_event)) == 2


def test_window_is_closed_until_set_and_follows_its_times(reg_event, organiser, now):
    assert not window_open(reg_event, now)
    update_window(
        reg_event,
        organiser,
        WindowData(now + timedelta(hours=1), now + timedelta(days=1)),
        now=now,
    )
    assert not window_open(reg_event, now)
    assert window_open(reg_event, now + timedelta(hours=2))
    assert not window_open(reg_event, now + timedelta(days=1))


def test_window_times_are_wall_clock_in_the_event_zone(reg_event, organiser, now):
    # 09:00 in Kuala Lumpur (UTC+8) is 01:00 UTC.
    update_window(reg_event, organiser, WindowData(wall(7, 9), None), now=now)
    assert settings_for(reg_event).opens_at.hour == 1


def test_window_must_close_after_it_opens(reg_event, organiser, now):
    with pytest.raises(ValidationFailed) as err:
        update_window(reg_event, organiser, WindowData(now, now), now=now)
    assert err.value.field == "closes_at"


def test_method_is_fixed_once_someone_prioritised(
    ch_event, organiser, now, make_registration
):
    reg = make_registration(ch_event)
    ids = [c.id for c in event_challenges(ch_event)]
    save_priorities(reg, {ids[0]: 5, ids[1]: 5}, now=now)
    settings = settings_for(ch_event)
    with pytest.raises(ValidationFailed) as err:
        update_window(
            ch_event,
            organiser,
            WindowData(settings.opens_at, settings.closes_at, "ranking"),
            now=now,
        )
    assert err.value.field == "priority_method"
