"""Organiser registration pages commit what they change (rows and outbox).

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.events.models import Event
from consult.notifications.models import OutboundEmail
from consult.registration.models import (
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from tests.effects import committed, committed_row
from tests.registration.confirming import confirm_bulk, confirm_cancel


def url(event, suffix=""):
    return f"/manage/events/{event.slug}/registrations{suffix}"


def settings_url(event, suffix=""):
    return f"/manage/events/{event.slug}/registration-settings{suffix}"


def _mail_to(address):
    return (
        committed()
        .scalars(select(OutboundEmail).where(OutboundEmail.recipient == address))
        .all()
    )


def test_decisions_on_registrants_are_committed(
    client, login, organiser, reg_event, make_registration, stype
):
    approved = make_registration(reg_event, status="pending")
    rejected = make_registration(reg_event, status="pending")
    bulk = make_registration(reg_event, status="pending")
    waiting = make_registration(reg_event, status="waitlisted")
    seated = make_registration(reg_event)
    leaving = make_registration(reg_event)
    login(organiser)

    assert client.post(url(reg_event, f"/{approved.id}/approve")).status_code == 302
    assert committed_row(Registration, approved.id).status == "confirmed"
    assert _mail_to(approved.email)

    response = client.post(
        url(reg_event, f"/{rejected.id}/reject"), data={"reason": "Wrong event"}
    )
    assert response.status_code == 302
    assert committed_row(Registration, rejected.id).status == "rejected"

    response = confirm_bulk(
        client,
        url(reg_event, "/bulk"),
        {"ids": [bulk.id], "decision": "approve", "reason": ""},
    )
    assert response.status_code == 302
    assert committed_row(Registration, bulk.id).status == "confirmed"

    assert client.post(url(reg_event, f"/{waiting.id}/confirm")).status_code == 302
    assert committed_row(Registration, waiting.id).status == "confirmed"

    # A move to the waiting list too: shown first, done when confirmed.
    assert client.post(url(reg_event, f"/{seated.id}/waitlist")).status_code == 200
    assert committed_row(Registration, seated.id).status == "confirmed"
    response = confirm_cancel(client, url(reg_event, f"/{seated.id}/waitlist"))
    assert response.status_code == 302
    assert committed_row(Registration, seated.id).status == "waitlisted"

    # The first view of a cancellation changes nothing; confirming does.
    assert client.get(url(reg_event, f"/{leaving.id}/cancel")).status_code == 200
    assert committed_row(Registration, leaving.id).status == "confirmed"
    response = confirm_cancel(client, url(reg_event, f"/{leaving.id}/cancel"))
    assert response.status_code == 302
    assert committed_row(Registration, leaving.id).status == "cancelled"

    research = stype(reg_event, "research").id
    response = client.post(
        url(reg_event, f"/{seated.id}/type"), data={"type_id": research}
    )
    assert response.status_code == 302
    assert committed_row(Registration, seated.id).stakeholder_type_id == research


def test_check_in_is_committed(client, login, organiser, reg_event, make_registration):
    person = make_registration(reg_event)
    login(organiser)
    client.post(url(reg_event, f"/{person.id}/check-in"), data={"checked_in": "1"})
    assert committed_row(Registration, person.id).checked_in_at is not None


def test_assisted_registration_and_bulk_message_are_committed(
    client, login, organiser, reg_event, make_registration
):
    reader = make_registration(reg_event)
    login(organiser)
    response = client.post(
        url(reg_event, "/new"),
        data={
            "full_name": "Siti Aminah",
            "phone": "+60 12 345 6789",
            "country": "MY",
            "type_key": "informal",
            "role": "attendee",
            "timezone": "Asia/Kuala_Lumpur",
            "consent_privacy": "y",
        },
    )
    assert response.status_code == 302
    person = committed().scalar(
        select(Registration).where(Registration.full_name == "Siti Aminah")
    )
    assert person.assisted and person.status == "confirmed"

    response = client.post(
        url(reg_event, "/message"),
        data={
            "statuses": "confirmed",
            "subject": "News",
            "body": "Agenda is out.",
            "send": "1",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert [m.subject for m in _mail_to(reader.email)] == ["News"]


def test_registration_settings_types_and_questions_are_committed(
    client, login, organiser, reg_event, stype
):
    login(organiser)
    data = {
        "requires_approval": "y",
        "privacy_notice_version": "2026-11",
        "attendance_threshold_minutes": "25",
    }
    assert client.post(settings_url(reg_event), data=data).status_code == 302
    event = committed_row(Event, reg_event.id)
    assert event.requires_approval and event.attendance_threshold_minutes == 25

    added = client.post(
        settings_url(reg_event, "/types"),
        data={"label": "Media", "target_share": "0", "cap": ""},
    )
    assert added.status_code == 302
    media = committed().scalar(
        select(StakeholderType).where(
            StakeholderType.event_id == reg_event.id, StakeholderType.label == "Media"
        )
    )
    assert media is not None and media.target_share == 0

    edited = client.post(
        settings_url(reg_event, f"/types/{media.id}"),
        data={"label": "Press and media", "target_share": "0", "cap": "3"},
    )
    assert edited.status_code == 302
    assert committed_row(StakeholderType, media.id).label == "Press and media"

    removed = client.post(settings_url(reg_event, f"/types/{media.id}/remove"))
    assert removed.status_code == 302
    assert committed_row(StakeholderType, media.id) is None

    for label in ("Level", "Sector"):
        response = client.post(
            settings_url(reg_event, "/questions/new"),
            data={"label": label, "kind": "text", "type_keys": ["government"]},
        )
        assert response.status_code == 302
    level, sector = committed().scalars(
        select(RegistrationQuestion).order_by(RegistrationQuestion.position)
    )
    assert (level.label, sector.label) == ("Level", "Sector")

    response = client.post(
        settings_url(reg_event, f"/questions/{level.id}"),
        data={"label": "Level of government", "kind": "text"},
    )
    assert response.status_code == 302
    assert committed_row(RegistrationQuestion, level.id).label == "Level of government"

    client.post(
        settings_url(reg_event, f"/questions/{sector.id}/move"),
        data={"direction": "up"},
    )
    labels = committed().scalars(
        select(RegistrationQuestion.label).order_by(RegistrationQuestion.position)
    )
    assert list(labels) == ["Sector", "Level of government"]

    client.post(settings_url(reg_event, f"/questions/{sector.id}/remove"))
    assert committed_row(RegistrationQuestion, sector.id) is None
