"""Moving a confirmed person to the waiting list (issue 21, item 1): the row
menu's "To waiting list…" opens a page that says in numbers what follows
(one seat freed and left free, the place behind the people waiting, one
email), works without JavaScript, and acts only on its Confirm button, bound
to the plan it showed."""

from __future__ import annotations

import pytest

from consult.errors import Conflict
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.decision_plans import decision_plan
from consult.registration.services.organiser import move_to_waitlist
from tests.effects import committed_row
from tests.registration.confirming import confirm_cancel, fingerprint_of
from tests.registration.test_confirm_pages import _mail as mails_of
from tests.registration.test_confirm_pages import url


def _mail(registration, template="registration_waitlisted"):
    return mails_of(registration, template)


def test_the_plan_counts_the_seat_the_people_ahead_and_the_email(
    make_reg_event, make_registration, organiser
):
    event = make_reg_event(capacity=2)
    seated = make_registration(event)
    make_registration(event)
    ahead = [make_registration(event, status="waitlisted") for _ in range(2)]
    db.session.commit()

    plan = decision_plan(event, [seated], organiser, "waitlist")

    assert plan.acting_on == [seated]
    assert (plan.seats_freed, plan.waiting, plan.emailed) == (1, len(ahead), 1)
    assert (plan.texted, plan.unreachable) == (0, 0)


def test_a_person_without_email_is_counted_as_told_by_the_organiser(
    reg_event, make_registration, organiser
):
    phoned = make_registration(reg_event, email="", assisted=True)
    plan = decision_plan(reg_event, [phoned], organiser, "waitlist")
    assert (plan.emailed, plan.unreachable) == (0, 1)


def test_the_move_refuses_a_plan_that_is_no_longer_true(
    reg_event, make_registration, organiser, now
):
    seated = make_registration(reg_event)
    shown = decision_plan(reg_event, [seated], organiser, "waitlist").fingerprint
    with pytest.raises(Conflict):
        move_to_waitlist(reg_event, seated.id, organiser, now=now, expected="0" * 32)
    db.session.rollback()
    assert db.session.get(Registration, seated.id).status == "confirmed"

    move_to_waitlist(reg_event, seated.id, organiser, now=now, expected=shown)
    db.session.commit()
    assert seated.status == "waitlisted"


def test_the_page_says_what_follows_and_only_the_confirmation_acts(
    client, login, organiser, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event, full_name="Nurul Huda")
    waiting = make_registration(event, status="waitlisted")
    login(organiser)

    listed = client.get(url(event)).get_data(as_text=True)
    assert url(event, f"/{seated.id}/waitlist") in listed  # a link, not a button
    page = client.get(url(event, f"/{seated.id}/waitlist")).get_data(as_text=True)
    assert "Move Nurul Huda to the waiting list?" in page
    assert "This frees 1 seat and leaves it free for you to give" in page
    assert "behind 1 person." in page
    assert "This emails 1 person their place on the waiting list." in page
    assert committed_row(Registration, seated.id).status == "confirmed"
    assert _mail(seated) == []

    done = confirm_cancel(
        client, url(event, f"/{seated.id}/waitlist"), follow_redirects=True
    )
    assert "Nurul Huda is on the waiting list." in done.get_data(as_text=True)
    moved = committed_row(Registration, seated.id)
    assert moved.status == "waitlisted"
    assert (
        moved.waitlist_position
        > committed_row(Registration, waiting.id).waitlist_position
    )
    # The seat stays free for the organiser: nobody was promoted.
    assert committed_row(Registration, waiting.id).status == "waitlisted"
    assert _mail(waiting, "registration_promoted") == []
    assert [m.status for m in _mail(seated)] == ["queued"]


def test_without_javascript_a_plain_post_only_shows_the_plan(
    client, login, organiser, reg_event, make_registration
):
    """The old button's POST (no fingerprint) and a stale one change nothing."""
    seated = make_registration(reg_event)
    login(organiser)

    plain = client.post(url(reg_event, f"/{seated.id}/waitlist"))
    assert plain.status_code == 200
    stale = fingerprint_of(plain.get_data(as_text=True))
    assert committed_row(Registration, seated.id).status == "confirmed"

    client.post(url(reg_event, f"/{seated.id}/check-in"), data={"checked_in": "1"})
    again = client.post(
        url(reg_event, f"/{seated.id}/waitlist"), data={"fingerprint": stale}
    )
    assert again.status_code == 200
    assert "The selection changed since you confirmed" in again.get_data(as_text=True)
    assert committed_row(Registration, seated.id).status == "confirmed"
    assert _mail(seated) == []

    fresh = fingerprint_of(again.get_data(as_text=True))
    done = client.post(
        url(reg_event, f"/{seated.id}/waitlist"), data={"fingerprint": fresh}
    )
    assert done.status_code == 302
    assert committed_row(Registration, seated.id).status == "waitlisted"
    assert len(_mail(seated)) == 1


def test_a_person_not_confirmed_gets_nothing_to_confirm(
    client, login, organiser, reg_event, make_registration
):
    pending = make_registration(reg_event, status="pending")
    login(organiser)
    page = client.get(url(reg_event, f"/{pending.id}/waitlist")).get_data(as_text=True)
    assert "Nothing to do" in page
    assert "Move to the waiting list</button>" not in page
    assert committed_row(Registration, pending.id).status == "pending"
