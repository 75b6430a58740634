"""Through HTTP: a cancellation, a rejection and a bulk decision say what
they do in numbers and change nothing until confirmed; a cancellation shows
its undo above the list until the window closes."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.timeutil import now_utc
from tests.effects import committed, committed_row
from tests.registration.confirming import confirm_bulk, confirm_cancel, fingerprint_of


def url(event, suffix=""):
    return f"/manage/events/{event.slug}/registrations{suffix}"


def _mail(registration, template):
    return (
        committed()
        .scalars(
            select(OutboundEmail).where(
                OutboundEmail.registration_id == registration.id,
                OutboundEmail.template == template,
            )
        )
        .all()
    )


def test_a_cancellation_says_what_it_does_then_can_be_undone(
    client, login, organiser, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event, full_name="Siti Aminah")
    waiting = make_registration(event, status="waitlisted")
    login(organiser)

    page = client.get(url(event, f"/{seated.id}/cancel")).get_data(as_text=True)
    assert "Cancel 1 registration?" in page
    assert "This frees 1 seat." in page
    assert "This emails 1 person that their registration is cancelled." in page
    assert "Nothing is sent for 5 minutes" in page
    assert committed_row(Registration, seated.id).status == "confirmed"
    assert _mail(seated, "registration_cancelled") == []

    listed = confirm_cancel(
        client, url(event, f"/{seated.id}/cancel"), follow_redirects=True
    ).get_data(as_text=True)
    assert committed_row(Registration, seated.id).status == "cancelled"
    assert committed_row(Registration, waiting.id).status == "confirmed"
    assert "Cancelled 1 registration. You can undo it for 5 minutes." in listed
    assert "Cancelled 1: Siti Aminah." in listed
    [held] = _mail(seated, "registration_cancelled")
    assert held.status == "queued" and held.next_attempt_at > now_utc()

    batch = _batch_on(listed)
    undone = client.post(url(event, "/undo"), data={"batch": batch})
    assert undone.status_code == 302
    assert committed_row(Registration, seated.id).status == "confirmed"
    assert committed_row(Registration, waiting.id).status == "waitlisted"
    assert [m.status for m in _mail(seated, "registration_cancelled")] == ["withdrawn"]
    assert [m.status for m in _mail(waiting, "registration_promoted")] == ["withdrawn"]
    after = client.get(url(event)).get_data(as_text=True)
    assert "data-undo" not in after


def _batch_on(page: str) -> str:
    marker = 'name="batch" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_after_the_window_the_undo_is_refused_and_hidden(
    client, login, organiser, reg_event, make_registration
):
    person = make_registration(reg_event)
    login(organiser)
    listed = confirm_cancel(
        client, url(reg_event, f"/{person.id}/cancel"), follow_redirects=True
    ).get_data(as_text=True)
    batch = _batch_on(listed)
    with time_machine.travel(now_utc() + timedelta(minutes=6), tick=False):
        assert "data-undo" not in client.get(url(reg_event)).get_data(as_text=True)
        refused = client.post(
            url(reg_event, "/undo"), data={"batch": batch}, follow_redirects=True
        ).get_data(as_text=True)
    assert "Too late to undo" in refused
    assert committed_row(Registration, person.id).status == "cancelled"


def test_a_stale_cancellation_page_reshows_the_plan(
    client, login, organiser, reg_event, make_registration
):
    person = make_registration(reg_event, status="pending")
    login(organiser)
    shown = client.get(url(reg_event, f"/{person.id}/cancel")).get_data(as_text=True)
    stale = fingerprint_of(shown)
    client.post(url(reg_event, f"/{person.id}/approve"))
    again = client.post(
        url(reg_event, f"/{person.id}/cancel"), data={"fingerprint": stale}
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "The selection changed since you confirmed" in page
    assert "This frees 1 seat." in page  # the plan as it is now
    assert committed_row(Registration, person.id).status == "confirmed"


def test_a_bulk_cancel_counts_the_people_and_acts_only_when_confirmed(
    client, login, organiser, reg_event, make_registration
):
    seated = [make_registration(reg_event) for _ in range(3)]
    closed = make_registration(reg_event, status="rejected")
    data = {"ids": [r.id for r in seated] + [closed.id], "decision": "cancel"}
    login(organiser)
    shown = client.post(url(reg_event, "/bulk"), data=data).get_data(as_text=True)
    assert "Cancel 3 registrations?" in shown
    assert "This frees 3 seats." in shown
    assert "This emails 3 people that their registration is cancelled." in shown
    assert "1 person is left out:" in shown
    assert {committed_row(Registration, r.id).status for r in seated} == {"confirmed"}

    listed = confirm_bulk(
        client, url(reg_event, "/bulk"), data, follow_redirects=True
    ).get_data(as_text=True)
    assert {committed_row(Registration, r.id).status for r in seated} == {"cancelled"}
    assert "Cancelled 3 registrations." in listed
    client.post(url(reg_event, "/undo"), data={"batch": _batch_on(listed)})
    assert {committed_row(Registration, r.id).status for r in seated} == {"confirmed"}


def test_a_bulk_decision_on_a_changed_selection_is_shown_again(
    client, login, organiser, reg_event, make_registration
):
    people = [make_registration(reg_event, status="pending") for _ in range(2)]
    data = {"ids": [r.id for r in people], "decision": "approve"}
    login(organiser)
    stale = fingerprint_of(
        client.post(url(reg_event, "/bulk"), data=data).get_data(as_text=True)
    )
    client.post(url(reg_event, f"/{people[0].id}/approve"))
    again = client.post(
        url(reg_event, "/bulk"), data={**data, "confirm": "1", "fingerprint": stale}
    )
    page = again.get_data(as_text=True)
    assert "The selection changed since you confirmed" in page
    assert "Approve 1 registration?" in page
    assert committed_row(Registration, people[1].id).status == "pending"


def test_a_rejection_page_says_who_is_told(
    client, login, organiser, reg_event, make_registration
):
    person = make_registration(reg_event, status="waitlisted")
    login(organiser)
    page = client.get(url(reg_event, f"/{person.id}/reject")).get_data(as_text=True)
    assert "This emails 1 person, with your reason." in page
    assert committed_row(Registration, person.id).status == "waitlisted"
    response = client.post(
        url(reg_event, f"/{person.id}/reject"),
        data={"reason": "Not eligible", "fingerprint": fingerprint_of(page)},
    )
    assert response.status_code == 302
    assert committed_row(Registration, person.id).status == "rejected"
    assert [m.template for m in _mail(person, "registration_rejected")]
