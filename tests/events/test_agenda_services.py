"""Agenda services: sessions inside the event, speakers, moving with the event."""

from __future__ import annotations

import pytest

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import AgendaSession, Speaker
from consult.events.services import (
    SpeakerData,
    add_session,
    delete_session,
    update_event,
    update_session,
)
from consult.extensions import db
from tests.clock import utc, wall


def test_add_session_localises_times_in_the_event_zone(
    organiser, make_event, session_data, now
):
    event = make_event(organiser)
    session = add_session(event, organiser, session_data(), now=now)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(AgendaSession, session.id)
    assert stored.start_at == utc(21, 8, 30)
    assert stored.end_at == utc(21, 9)
    assert [(s.name, s.affiliation, s.city, s.country) for s in stored.speakers] == [
        ("Aisha Rahman", "Petaling Jaya City Council", "Petaling Jaya", "Malaysia")
    ]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (wall(21, 15, 30), wall(21, 16, 30), "start"),
        (wall(21, 17, 30), wall(21, 18, 30), "end"),
        (wall(22, 16, 30), wall(22, 17), "end"),
        (wall(21, 17), wall(21, 16, 30), "end"),
        (wall(21, 17), wall(21, 17), "end"),
    ],
)
def test_session_outside_the_event_or_inverted_is_refused(
    organiser, make_event, session_data, now, start, end, field
):
    event = make_event(organiser)
    with pytest.raises(ValidationFailed) as caught:
        add_session(event, organiser, session_data(start=start, end=end), now=now)
    assert caught.value.field == field
    db.session.rollback()
    assert event.sessions == []


def test_session_filling_the_whole_event_is_allowed(
    organiser, make_event, session_data, now
):
    event = make_event(organiser)
    session = add_session(
        event,
        organiser,
        session_data(start=wall(21, 16), end=wall(21, 18)),
        now=now,
    )
    assert (session.start_at, session.end_at) == (event.start_at, event.end_at)


def test_speaker_without_a_name_is_refused(organiser, make_event, session_data, now):
    event = make_event(organiser)
    with pytest.raises(ValidationFailed):
        add_session(
            event,
            organiser,
            session_data(speakers=[SpeakerData(name=" ", affiliation="Somewhere")]),
            now=now,
        )


def test_update_session_edits_speakers_in_place(
    organiser, event_with_agenda, session_data, now
):
    session = event_with_agenda.sessions[0]
    first_speaker_id = session.speakers[0].id
    update_session(
        session,
        organiser,
        session_data(
            title="Five challenges, one city",
            speakers=[
                SpeakerData(name="Aisha Rahman", affiliation="MBPJ"),
                SpeakerData(name="Jan Peeters", city="Ghent", country="Belgium"),
            ],
        ),
        now=now,
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AgendaSession, session.id)
    assert stored.title == "Five challenges, one city"
    assert [(s.name, s.affiliation, s.position) for s in stored.speakers] == [
        ("Aisha Rahman", "MBPJ", 0),
        ("Jan Peeters", "", 1),
    ]
    assert stored.speakers[0].id == first_speaker_id

    update_session(stored, organiser, session_data(speakers=[]), now=now)
    db.session.commit()
    assert db.session.query(Speaker).count() == 0


def test_delete_session(organiser, event_with_agenda, now):
    delete_session(event_with_agenda.sessions[0], organiser, now=now)
    db.session.commit()
    assert db.session.query(AgendaSession).count() == 0
    assert db.session.query(Speaker).count() == 0


def test_other_organiser_cannot_touch_the_agenda(
    other_organiser, event_with_agenda, session_data, now
):
    with pytest.raises(PermissionDenied):
        add_session(event_with_agenda, other_organiser, session_data(), now=now)
    with pytest.raises(PermissionDenied):
        delete_session(event_with_agenda.sessions[0], other_organiser, now=now)


def test_moving_the_event_moves_its_agenda(
    organiser, event_with_agenda, event_data, now
):
    update_event(
        event_with_agenda,
        organiser,
        event_data(start=wall(22, 10), end=wall(22, 12)),
        now=now,
    )
    db.session.commit()
    session = event_with_agenda.sessions[0]
    # Was 16:30-17:00 on the 15th (30 min after the start), so now 10:30-11:00.
    assert session.start_at == utc(22, 2, 30)
    assert session.end_at == utc(22, 3)


def test_shortening_the_event_past_a_session_is_refused(
    organiser, event_with_agenda, event_data, now
):
    with pytest.raises(ValidationFailed) as caught:
        update_event(
            event_with_agenda,
            organiser,
            event_data(end=wall(21, 16, 45)),
            now=now,
        )
    assert caught.value.field == "end"
    assert "Petaling Jaya" in caught.value.message
    db.session.rollback()
    assert event_with_agenda.end_at == utc(21, 10)
