"""Reminders are checked and composed when they leave; changes withdraw them at once.

A reminder is queued as a row that names the plan item and the registration;
the sender composes it when its turn comes, with the facts of that moment. A
change between queueing and sending (the person cancels or erases their data,
the organiser cancels or moves the event) withdraws it at once with a reason,
or re-times it; the sender withdraws what is no longer right. Each test runs
the clock forward through the queue window and checks the outbox row and what
the mail server received.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult.events.models import Event
from consult.events.services import EventData, cancel_event, update_event
from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
    plan_overview,
)
from consult.notifications.unsubscribe import opt_out
from consult.registration.attendance.services import complete_attendance
from consult.registration.services import cancel_registration, erase, manage_token
from consult.registration.services.event_changes import (
    calendar_snapshot,
    queue_calendar_cancellations,
    queue_calendar_updates,
)
from consult.registration.services.organiser import change_stakeholder_type
from tests.clock import wall

JOIN_URL = "https://zoom.example.org/j/987654321"


@pytest.fixture
def plan(reg_event, now):
    items = ensure_default_plan(reg_event, now=now - timedelta(days=10))
    db.session.commit()
    return items


@pytest.fixture
def day_reminder(plan):
    """The 1-day reminder, the only reminder of the plan left switched on."""
    week, day, hour = plan[:3]
    week.enabled = hour.enabled = False
    db.session.commit()
    return day


@pytest.fixture
def sink(smtp_sink, use_smtp):
    use_smtp(smtp_sink.port)
    return smtp_sink.handler


def _rows(template=None) -> list[OutboundEmail]:
    db.session.expire_all()
    query = select(OutboundEmail).order_by(OutboundEmail.id)
    if template:
        query = query.where(OutboundEmail.template == template)
    return list(db.session.scalars(query))


def _queue(item, event):
    """Run the engine at the item's due time: one reminder row per registrant."""
    due = due_at(item, event)
    report = enqueue_due_reminders(now=due)
    assert report.queued >= 1
    return due


def _calendar_parts(message):
    return [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _full_at_one(event):
    """One seat, so the waiting list stays put when the event is saved."""
    event.capacity = 1
    db.session.commit()


def _move(event, organiser, *, days: int, now):
    """The organiser moves the event by whole days through the edit service."""
    before = calendar_snapshot(event)
    update_event(
        event,
        organiser,
        EventData(
            title=event.title,
            timezone=event.timezone,
            start=wall(21 + days, 16),
            end=wall(21 + days, 18),
            summary=event.summary,
            join_url=event.join_url,
            capacity=event.capacity,
        ),
        now=now,
    )
    queued = queue_calendar_updates(event, before, now=now)
    db.session.commit()
    return queued


def test_a_reminder_is_composed_when_it_leaves_with_the_facts_of_that_moment(
    reg_event, day_reminder, make_registration, sink
):
    person = make_registration(reg_event, "siti@example.my", timezone="Europe/Berlin")
    due = _queue(day_reminder, reg_event)
    [row] = _rows("reminder")
    assert (row.composer, row.registration_id, row.composed_at) == (
        "reminder",
        person.id,
        None,
    )
    assert row.body_text == "" and row.attachments == []
    # Between queueing and sending the organiser renames the event and gives
    # it a new join link.
    reg_event.title = "Circular Cities: the Petaling Jaya consultation"
    reg_event.join_url = "https://zoom.example.org/j/111222333"
    db.session.commit()

    report = deliver_outbox(now=due + timedelta(minutes=2))

    assert report.sent == 1
    [received] = sink.received
    # The new title, and the time to the start as it leaves (a folded
    # header is read back unfolded).
    assert " ".join(received.message["Subject"].split()) == (
        "Reminder: Circular Cities: the Petaling Jaya consultation starts in 1 day"
    )
    assert "https://zoom.example.org/j/111222333" in _text(received.message)
    assert len(_calendar_parts(received.message)) == 1
    [row] = _rows("reminder")
    assert row.status == "sent" and row.composed_at == due + timedelta(minutes=2)
    assert "111222333" in row.body_text


def test_a_cancellation_in_the_queue_window_withdraws_the_reminder_at_once(
    reg_event, day_reminder, make_registration, sink
):
    person = make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)

    cancel_registration(person, now=due + timedelta(seconds=30))
    db.session.commit()

    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert reminder.last_error == (
        "Before this message left, the registration's status changed to: cancelled."
    )
    report = deliver_outbox(now=due + timedelta(minutes=1))
    assert (report.sent, report.withdrawn) == (1, 0)
    [received] = sink.received
    assert received.message["Subject"].startswith("Your registration is cancelled")
    assert JOIN_URL not in _text(received.message)
    # The only message that would have carried an invite never left: there
    # is no calendar copy to cancel.
    assert _calendar_parts(received.message) == []
    assert _rows("reminder")[0].status == "withdrawn"
    # The plan counts it as not sent, with the reason.
    [state] = [s for s in plan_overview(reg_event, now=due) if s.item == day_reminder]
    assert state.queued == 0 and state.skipped == {"withdrawn before it left": 1}


def test_a_cancellation_carries_a_calendar_cancel_after_an_invite_left(
    reg_event, plan, make_registration, sink
):
    week, day = plan[0], plan[1]
    person = make_registration(reg_event, "siti@example.my")
    week_due = _queue(week, reg_event)
    deliver_outbox(now=week_due + timedelta(minutes=1))  # with the invite
    day_due = _queue(day, reg_event)

    cancel_registration(person, now=day_due + timedelta(seconds=30))
    db.session.commit()
    deliver_outbox(now=day_due + timedelta(minutes=1))

    first, cancellation = sink.received
    assert b"METHOD:REQUEST" in _calendar_parts(first.message)[0].get_payload(
        decode=True
    )
    [part] = _calendar_parts(cancellation.message)
    assert b"METHOD:CANCEL" in part.get_payload(decode=True)
    assert [r.status for r in _rows("reminder")] == ["sent", "withdrawn"]


def test_an_erasure_withdraws_the_reminder_and_scrubs_the_outbox(
    reg_event, plan, make_registration, sink
):
    week, day = plan[0], plan[1]
    person = make_registration(reg_event, "siti@example.my", full_name="Siti Aminah")
    week_due = _queue(week, reg_event)
    deliver_outbox(now=week_due + timedelta(minutes=1))
    day_due = _queue(day, reg_event)
    erased_at = day_due + timedelta(seconds=20)

    erase(person, now=erased_at)
    db.session.commit()

    sent, queued = _rows("reminder")
    assert queued.status == "withdrawn"
    assert queued.last_error == "The person erased their data before this message left."
    # What the organiser must see stays: the kind, the status, the times.
    assert (sent.status, sent.sent_at) == ("sent", week_due + timedelta(minutes=1))
    assert sent.created_at == week_due and sent.template == "reminder"
    assert sent.last_error == ""
    for row in (sent, queued):
        assert (row.recipient, row.recipient_name, row.subject) == ("", "", "")
        assert (row.body_text, row.body_html, row.params) == ("", "", {})
        assert row.attachments == []
    stored = db.session.execute(select(OutboundEmail.__table__)).mappings().all()
    assert not any("siti" in str(value).lower() for r in stored for value in r.values())

    report = deliver_outbox(now=day_due + timedelta(minutes=1))
    assert report.claimed == 0
    assert len(sink.received) == 1  # the week reminder, before the erasure


def test_cancelling_the_event_withdraws_the_reminder_and_tells_everyone(
    reg_event, day_reminder, make_registration, organiser, sink
):
    seated = make_registration(reg_event, "siti@example.my")
    waiting = make_registration(reg_event, "ahmad@example.my", status="waitlisted")
    due = _queue(day_reminder, reg_event)
    at = due + timedelta(seconds=40)

    cancel_event(reg_event, organiser, "The venue closed.", now=at)
    queue_calendar_cancellations(reg_event, now=at)
    db.session.commit()

    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert reminder.last_error == "The event was cancelled before this message left."
    deliver_outbox(now=due + timedelta(minutes=1))
    by_address = {r.rcpt_tos[0]: r.message for r in sink.received}
    assert set(by_address) == {seated.email, waiting.email}
    for message in by_address.values():
        assert message["Subject"].startswith("Cancelled:")
        assert "The venue closed." in _text(message)
        assert JOIN_URL not in _text(message)
    # No invite ever left for the seated person (the reminder with it was
    # withdrawn, the factory seated them without one): nothing to cancel for
    # the waiting person either.
    assert _calendar_parts(by_address[waiting.email]) == []


def test_a_move_re_times_the_queued_reminder_to_its_new_moment(
    reg_event, day_reminder, make_registration, organiser, sink
):
    _full_at_one(reg_event)
    person = make_registration(reg_event, "siti@example.my", timezone="Europe/Berlin")
    waiting = make_registration(reg_event, "ahmad@example.my", status="waitlisted")
    due = _queue(day_reminder, reg_event)

    # Three days later, decided while the reminder waits to be sent.
    _move(reg_event, organiser, days=3, now=due + timedelta(seconds=30))

    [reminder] = _rows("reminder")
    new_due = due_at(day_reminder, reg_event)
    assert new_due == due + timedelta(days=3)
    assert (reminder.status, reminder.next_attempt_at) == ("queued", new_due)
    deliver_outbox(now=due + timedelta(minutes=1))
    # Only the news of the move leaves now, to the seated and the waiting.
    assert {r.rcpt_tos[0] for r in sink.received} == {person.email, waiting.email}
    assert all(r.message["Subject"].startswith("Updated:") for r in sink.received)
    assert _rows("reminder")[0].status == "queued"

    deliver_outbox(now=new_due + timedelta(minutes=1))

    reminder = sink.received[-1].message
    assert " ".join(reminder["Subject"].split()) == (
        f"Reminder: {reg_event.title} starts in 1 day"
    )
    assert sink.received[-1].rcpt_tos == [person.email]
    assert _rows("reminder")[0].status == "sent"


def test_a_reminder_waiting_for_a_retry_follows_the_move(
    reg_event, day_reminder, make_registration, organiser, sink
):
    """A reminder whose first try failed waits for the new moment too, and
    leaves then (it was lost: withdrawn as not due at its retry)."""
    _full_at_one(reg_event)
    person = make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    [reminder] = _rows("reminder")
    reminder.attempts = 1
    reminder.next_attempt_at = due + timedelta(minutes=2)  # the retry's time
    db.session.commit()

    _move(reg_event, organiser, days=3, now=due + timedelta(minutes=1))

    new_due = due_at(day_reminder, reg_event)
    [reminder] = _rows("reminder")
    assert (reminder.status, reminder.next_attempt_at) == ("queued", new_due)
    deliver_outbox(now=due + timedelta(minutes=3))
    assert _rows("reminder")[0].status == "queued"
    deliver_outbox(now=new_due + timedelta(minutes=1))
    assert _rows("reminder")[0].status == "sent"
    assert sink.received[-1].rcpt_tos == [person.email]


def test_a_claimed_reminder_of_someone_who_unsubscribed_meanwhile_is_withdrawn(
    reg_event, day_reminder, make_registration, sink
):
    """The one-click opt-out withdraws what is queued; a reminder the sender
    had already claimed is checked when it is composed."""
    person = make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    [reminder] = _rows("reminder")
    reminder.status = "sending"  # claimed just before the POST
    db.session.commit()
    opt_out(person, now=due + timedelta(seconds=5))
    db.session.commit()
    [reminder] = _rows("reminder")
    assert reminder.status == "sending"  # the opt-out touched queued rows only
    reminder.status = "queued"  # the claim's lease ran out: it is claimed again
    db.session.commit()

    deliver_outbox(now=due + timedelta(minutes=1))

    assert sink.received == []
    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert "unsubscribed" in reminder.last_error


def test_a_reminder_for_one_group_is_withdrawn_when_the_person_changes_group(
    reg_event, day_reminder, make_registration, organiser, stype, sink
):
    day_reminder.type_keys = ["government"]
    db.session.commit()
    person = make_registration(reg_event, "siti@example.my", type_key="government")
    due = _queue(day_reminder, reg_event)
    change_stakeholder_type(
        reg_event, person.id, organiser, stype(reg_event, "research").id, now=due
    )
    db.session.commit()

    deliver_outbox(now=due + timedelta(minutes=1))

    assert sink.received == []
    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert "another stakeholder group" in reminder.last_error


def test_a_waitlisted_person_gets_the_move_without_join_link_or_invite(
    reg_event, make_registration, organiser, now, sink
):
    _full_at_one(reg_event)
    make_registration(reg_event, "siti@example.my")
    waiting = make_registration(reg_event, "ahmad@example.my", status="waitlisted")
    pending = make_registration(reg_event, "mei@example.my", status="pending")

    _move(reg_event, organiser, days=2, now=now + timedelta(hours=1))
    deliver_outbox(now=now + timedelta(hours=1, minutes=1))

    by_address = {r.rcpt_tos[0]: r.message for r in sink.received}
    assert len(by_address) == 3
    for person in (waiting, pending):
        message = by_address[person.email]
        text = _text(message)
        assert message["Subject"] == f"Updated: {reg_event.title}"
        assert "New time" in text and "no calendar invite is attached" in text
        assert JOIN_URL not in message.as_string()
        assert _calendar_parts(message) == []
        assert not any(
            p.get_filename() == "invite.ics" for p in message.iter_attachments()
        )
    seated = by_address["siti@example.my"]
    assert JOIN_URL in _text(seated) and len(_calendar_parts(seated)) == 1


def test_a_move_the_queue_did_not_see_is_caught_by_the_sender(
    reg_event, day_reminder, make_registration, sink
):
    make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    # The event moves by a path that does not re-time the queue (a row being
    # sent at that moment is not re-timed either).
    db.session.execute(
        update(Event)
        .where(Event.id == reg_event.id)
        .values(
            start_at=reg_event.start_at + timedelta(days=2),
            end_at=reg_event.end_at + timedelta(days=2),
        )
    )
    db.session.commit()

    report = deliver_outbox(now=due + timedelta(minutes=1))

    assert (report.sent, report.withdrawn) == (0, 1)
    assert sink.received == []
    [row] = _rows("reminder")
    new_due = due + timedelta(days=2)
    assert row.status == "withdrawn"
    assert row.last_error == (
        f"The event moved: this message is now due at {new_due:%Y-%m-%d %H:%M} UTC."
    )


def test_a_reminder_whose_seat_is_gone_is_withdrawn_by_the_sender(
    reg_event, day_reminder, make_registration, sink
):
    person = make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    # A correction outside the services (no at-once withdrawal): the sender
    # still sees that the reminder with the join link has no seat behind it.
    person.status = "pending"
    db.session.commit()

    report = deliver_outbox(now=due + timedelta(minutes=1))

    assert (report.sent, report.withdrawn) == (0, 1)
    assert sink.received == []
    assert _rows("reminder")[0].last_error == (
        "Before this message left, the registration's status changed to: pending."
    )


def test_a_follow_up_whose_attendance_changed_is_withdrawn(
    reg_event, plan, make_registration, sink
):
    thanks = plan[3]
    person = make_registration(reg_event, "siti@example.my", attended=True)
    # Follow-ups wait for attendance marked complete (by an import or the organiser).
    complete_attendance(reg_event, now=reg_event.end_at, via="organiser")
    db.session.commit()
    due = _queue(thanks, reg_event)
    person.attended = False  # the import was corrected
    db.session.commit()

    deliver_outbox(now=due + timedelta(minutes=1))

    assert sink.received == []
    [row] = _rows("follow_up")
    assert row.status == "withdrawn"
    assert "attendance changed" in row.last_error


def test_cancelling_through_the_manage_page_withdraws_the_queued_reminder(
    client, reg_event, day_reminder, make_registration, clock, sink
):
    person = make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    clock.move_to(due + timedelta(seconds=30))

    response = client.post(
        f"/events/{reg_event.slug}/registration/{manage_token(person)}/cancel",
        data={"confirm": "y"},
    )

    assert response.status_code == 302
    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert "status changed to: cancelled" in reminder.last_error
    deliver_outbox(now=due + timedelta(minutes=1))
    assert [r.message["Subject"] for r in sink.received] == [
        f"Your registration is cancelled: {reg_event.title}"
    ]


def test_cancelling_the_event_through_its_page_withdraws_the_queued_reminder(
    client, login, organiser, reg_event, day_reminder, make_registration, clock, sink
):
    make_registration(reg_event, "siti@example.my")
    due = _queue(day_reminder, reg_event)
    clock.move_to(due + timedelta(seconds=30))
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/cancel", data={"reason": "Postponed."}
    )

    assert response.status_code == 302
    [reminder] = _rows("reminder")
    assert reminder.status == "withdrawn"
    assert reminder.last_error == "The event was cancelled before this message left."
    [cancelled] = _rows("calendar_cancelled")
    assert cancelled.status == "queued" and cancelled.registration_id is not None


def test_the_outbox_page_shows_an_erased_person_s_messages_without_their_data(
    client, login, organiser, reg_event, plan, make_registration, sink
):
    week, day = plan[0], plan[1]
    person = make_registration(reg_event, "siti@example.my", full_name="Siti Aminah")
    week_due = _queue(week, reg_event)
    deliver_outbox(now=week_due + timedelta(minutes=1))
    day_due = _queue(day, reg_event)
    erase(person, now=day_due + timedelta(seconds=20))
    db.session.commit()
    login(organiser)

    page = client.get(f"/manage/events/{reg_event.slug}/notifications")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "siti" not in html.lower() and "Reminder: Designing" not in html
    assert html.count("Personal data erased") == 2
    assert html.count("The person erased their data before this message left.") == 1


def test_journey_from_pages_a_participant_cancels_while_reminders_wait(
    client, login, organiser, clock, now, sink
):
    from tests.events.test_manage_pages import FORM

    login(organiser)
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    event = db.session.scalar(select(Event))
    assert client.post(f"/manage/events/{event.slug}/publish").status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    registered = client.post(
        f"/events/{event.slug}/register",
        data={
            "full_name": "Siti Aminah",
            "email": "siti@example.my",
            "organisation": "MBPJ",
            "country": "MY",
            "timezone": "Asia/Kuala_Lumpur",
            "type_key": "government",
            "role": "attendee",
            "consent_privacy": "y",
        },
    )
    assert "Your seat is confirmed." in registered.get_data(as_text=True)
    deliver_outbox(now=now + timedelta(minutes=1))
    [confirmation] = sink.received
    text = _text(confirmation.message)
    manage = next(
        word.split("consult.test", 1)[1]
        for word in text.split()
        if "/registration/" in word
    )

    # The scheduler queues the reminders due a day before the start.
    db.session.refresh(event)
    day_before = event.start_at - timedelta(days=1)
    clock.move_to(day_before)
    # Registered within the week: only the latest due reminder goes (the
    # one-week one is skipped as a later one is due).
    assert enqueue_due_reminders(now=day_before).queued == 1
    clock.move_to(day_before + timedelta(seconds=40))
    cancelled = client.post(f"{manage}/cancel", data={"confirm": "y"})

    assert cancelled.status_code == 302
    reminders = _rows("reminder")
    assert [r.status for r in reminders] == ["withdrawn"]
    deliver_outbox(now=day_before + timedelta(minutes=1))
    subjects = [r.message["Subject"] for r in sink.received]
    assert subjects == [
        f"You are registered: {event.title}",
        f"Your registration is cancelled: {event.title}",
    ]
    # The confirmation with the invite left: the cancellation removes it.
    [part] = _calendar_parts(sink.received[-1].message)
    assert b"METHOD:CANCEL" in part.get_payload(decode=True)


@pytest.mark.parametrize("change", ["attendance complete", "event cancelled"])
def test_a_queued_attendance_nudge_is_withdrawn_when_it_no_longer_applies(
    reg_event, plan, make_registration, organiser, sink, change
):
    nudge_item = next(item for item in plan if item.kind == "organiser_nudge")
    make_registration(reg_event, "siti@example.my")
    due = due_at(nudge_item, reg_event)
    enqueue_due_reminders(now=due)
    db.session.commit()
    [queued] = _rows("reminder_organiser_nudge")
    assert (queued.recipient, queued.status) == (organiser.email, "queued")

    if change == "attendance complete":
        complete_attendance(reg_event, now=due + timedelta(minutes=1), via="organiser")
        reason = "The attendance was recorded before this message left."
    else:
        cancel_event(reg_event, organiser, "Postponed.", now=due + timedelta(minutes=1))
        queue_calendar_cancellations(reg_event, now=due + timedelta(minutes=1))
        reason = "The event was cancelled before this message left."
    db.session.commit()
    deliver_outbox(now=due + timedelta(minutes=2))

    [nudge] = _rows("reminder_organiser_nudge")
    assert (nudge.status, nudge.last_error) == ("withdrawn", reason)
    assert organiser.email not in [r for m in sink.received for r in m.rcpt_tos]
