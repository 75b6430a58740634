"""Each event's organisers see (and can retry) that event's emails, and no other's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.events.models import Event, EventOrganiser
from consult.extensions import db


@pytest.fixture
def make_event(now):
    def _make(owner, slug):
        event = Event(
            slug=slug,
            title=f"Event {slug}",
            timezone="Asia/Kuala_Lumpur",
            start_at=now + timedelta(days=20),
            end_at=now + timedelta(days=20, hours=2),
            owner_id=owner.id,
            status="published",
        )
        db.session.add(event)
        db.session.commit()
        return event

    return _make


def _failed(email):
    email.status, email.attempts, email.last_error = "failed", 3, "550 no such user"
    db.session.commit()
    return email


def test_organiser_sees_only_their_event_emails(
    client, login, organiser, other_organiser, make_event, queue_notice
):
    mine = make_event(organiser, "pj-consultation")
    theirs = make_event(other_organiser, "other-event")
    queue_notice("mine:1", to="siti@example.my", subject="Your seat", event=mine)
    queue_notice("theirs:1", to="jan@example.nl", subject="Not yours", event=theirs)
    login(organiser)

    page = client.get("/manage/events/pj-consultation/notifications")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your seat" in html and "siti@example.my" in html
    assert "Not yours" not in html and "jan@example.nl" not in html
    assert "Queued: 1" in html


def test_co_organiser_may_retry_a_failed_email(
    client, login, organiser, other_organiser, make_event, queue_notice
):
    event = make_event(organiser, "pj-consultation")
    db.session.add(EventOrganiser(event_id=event.id, user_id=other_organiser.id))
    email = _failed(queue_notice("mine:1", to="siti@example.my", event=event))
    login(other_organiser)

    response = client.post(
        f"/manage/events/pj-consultation/notifications/{email.id}/retry"
    )

    assert response.status_code == 302
    db.session.refresh(email)
    assert (email.status, email.attempts) == ("queued", 0)


def test_another_events_email_cannot_be_retried_through_mine(
    client, login, organiser, other_organiser, make_event, queue_notice
):
    make_event(organiser, "pj-consultation")
    theirs = make_event(other_organiser, "other-event")
    email = _failed(queue_notice("theirs:1", to="jan@example.nl", event=theirs))
    login(organiser)

    response = client.post(
        f"/manage/events/pj-consultation/notifications/{email.id}/retry"
    )

    assert response.status_code == 404
    db.session.refresh(email)
    assert email.status == "failed"


def test_other_organisers_and_anonymous_are_kept_out(
    client, login, organiser, other_organiser, make_event
):
    make_event(organiser, "pj-consultation")
    anonymous = client.get("/manage/events/pj-consultation/notifications")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    login(other_organiser)
    assert client.get("/manage/events/pj-consultation/notifications").status_code == 403
