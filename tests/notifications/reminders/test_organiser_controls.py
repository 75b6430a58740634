"""Organiser controls over scheduled messages (issue 28, item 6): pause and
resume, test sends, cancelling queued messages, List-Unsubscribe one-click."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from consult.errors import Conflict
from consult.extensions import db
from consult.notifications.controls import (
    TEST_SEND_LIMIT,
    cancel_queued,
    pause_messages,
    resume_messages,
    send_test,
)
from consult.notifications.models import OutboundEmail, ReminderDispatch
from consult.notifications.reminders import enqueue_due_reminders, ensure_default_plan
from consult.notifications.services import deliver_outbox
from consult.notifications.unsubscribe import list_unsubscribe_url, opt_out
from consult.registration.services.emails import queue_registration_email


@pytest.fixture
def plan(reg_event, now):
    """The default plan: week, day and hour reminders, two follow-ups, a nudge."""
    items = ensure_default_plan(reg_event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def _week_due(event):
    return event.start_at - timedelta(days=7)


def _rows(**where):
    query = select(OutboundEmail).order_by(OutboundEmail.id)
    for name, value in where.items():
        query = query.where(getattr(OutboundEmail, name) == value)
    return list(db.session.scalars(query))


def _reminders():
    return [r for r in _rows() if r.dedup_key.startswith("reminder:")]


def _dispatch(item, registration):
    return db.session.scalar(
        select(ReminderDispatch).where(
            ReminderDispatch.plan_item_id == item.id,
            ReminderDispatch.registration_id == registration.id,
        )
    )


def _refresh(*rows):
    for row in rows:
        db.session.refresh(row)


# -- pause and resume: services ----------------------------------------------


def test_a_paused_event_gets_no_reminder_decided_or_queued(
    reg_event, plan, make_registration, organiser, now
):
    make_registration(reg_event)
    pause_messages(reg_event, organiser, now=now)
    db.session.commit()

    report = enqueue_due_reminders(now=_week_due(reg_event) + timedelta(minutes=1))

    assert report.paused_events == 1
    assert report.queued == 0
    assert _reminders() == []
    assert db.session.scalars(select(ReminderDispatch)).all() == []
    assert reg_event.messages_paused_at == now
    assert reg_event.messages_paused_by_id == organiser.id


def test_queued_reminders_are_held_while_paused_and_registration_emails_are_not(
    reg_event, plan, make_registration, organiser, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    registration = make_registration(reg_event)
    due = _week_due(reg_event) + timedelta(minutes=1)
    enqueue_due_reminders(now=due)
    [reminder] = _reminders()
    pause_messages(reg_event, organiser, now=due)
    queue_registration_email(registration, "confirmed", now=due)
    db.session.commit()

    report = deliver_outbox(now=due + timedelta(minutes=1))

    _refresh(reminder)
    assert reminder.status == "queued"
    assert report.sent == 1
    [received] = smtp_sink.handler.received
    assert "Reminder" not in received.message["Subject"]


def test_resuming_soon_sends_what_was_held(
    reg_event, plan, make_registration, organiser, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    make_registration(reg_event)
    due = _week_due(reg_event) + timedelta(minutes=1)
    enqueue_due_reminders(now=due)
    [reminder] = _reminders()
    pause_messages(reg_event, organiser, now=due)
    db.session.commit()
    deliver_outbox(now=due + timedelta(minutes=1))

    report = resume_messages(reg_event, organiser, now=due + timedelta(hours=3))
    db.session.commit()
    deliver_outbox(now=due + timedelta(hours=3))

    assert (report.released, report.withdrawn) == (1, 0)
    _refresh(reminder, reg_event)
    assert reminder.status == "sent"
    assert reg_event.messages_paused_at is None
    assert len(smtp_sink.handler.received) == 1


def test_resuming_late_withdraws_the_stale_reminder_and_the_engine_sends_the_latest(
    reg_event, plan, make_registration, organiser
):
    week, day = plan[0], plan[1]
    registration = make_registration(reg_event)
    due = _week_due(reg_event) + timedelta(minutes=1)
    enqueue_due_reminders(now=due)
    [held] = _reminders()
    pause_messages(reg_event, organiser, now=due)
    db.session.commit()
    # Paused for six days: the one-day reminder is due by now.
    later = reg_event.start_at - timedelta(hours=20)
    enqueue_due_reminders(now=later)
    assert _dispatch(day, registration) is None

    report = resume_messages(reg_event, organiser, now=later)
    db.session.commit()
    enqueue_due_reminders(now=later)

    assert (report.released, report.withdrawn) == (0, 1)
    _refresh(held)
    assert held.status == "withdrawn"
    # The one-day reminder is due and may still go: it replaces this one.
    assert "a later reminder is due" in held.last_error
    assert _dispatch(day, registration).status == "queued"
    assert _dispatch(week, registration).status == "queued"
    assert [r.status for r in _reminders()] == ["withdrawn", "queued"]


def test_a_held_reminder_follows_the_event_when_it_moves_during_the_pause(
    reg_event, plan, make_registration, organiser
):
    make_registration(reg_event)
    due = _week_due(reg_event) + timedelta(minutes=1)
    enqueue_due_reminders(now=due)
    [held] = _reminders()
    pause_messages(reg_event, organiser, now=due)
    reg_event.start_at += timedelta(days=2)
    reg_event.end_at += timedelta(days=2)
    db.session.commit()

    report = enqueue_due_reminders(now=due + timedelta(hours=1))

    _refresh(held)
    assert report.paused_events == 1
    assert held.send_before == reg_event.start_at
    assert held.status == "queued"


def test_a_held_reminder_is_judged_at_the_time_the_event_moved_to(
    reg_event, plan, make_registration, organiser
):
    """Moved two hours later during the pause, resumed three hours after: the
    one-day reminder is due (again) and goes; its own new moment is no
    "later reminder" to give way to."""
    day = plan[1]
    make_registration(reg_event)
    due = reg_event.start_at - timedelta(days=1)
    enqueue_due_reminders(now=due + timedelta(minutes=1))
    [held] = _reminders()
    pause_messages(reg_event, organiser, now=due + timedelta(minutes=1))
    reg_event.start_at += timedelta(hours=2)
    reg_event.end_at += timedelta(hours=2)
    db.session.commit()

    report = resume_messages(reg_event, organiser, now=due + timedelta(hours=3))
    db.session.commit()

    _refresh(held)
    assert (report.released, report.withdrawn) == (1, 0)
    assert held.status == "queued" and held.dedup_key.startswith(f"reminder:{day.id}:")


def test_resuming_what_is_not_paused_is_refused(reg_event, organiser, now):
    with pytest.raises(Conflict):
        resume_messages(reg_event, organiser, now=now)


# -- pause and resume: pages ---------------------------------------------------


def test_pause_button_sets_the_flag_the_page_says_since_when_and_resume_clears_it(
    client, login, organiser, reg_event, plan, make_registration
):
    make_registration(reg_event)
    login(organiser)
    plan_url = f"/manage/events/{reg_event.slug}/notifications/plan"

    response = client.post(f"/manage/events/{reg_event.slug}/notifications/pause")

    assert response.status_code == 302
    db.session.refresh(reg_event)
    assert reg_event.messages_paused_at is not None
    html = client.get(plan_url).get_data(as_text=True)
    assert "Paused since" in html
    assert "organiser@example.org" in html or organiser.name in html
    enqueue_due_reminders(now=_week_due(reg_event) + timedelta(minutes=1))
    assert _reminders() == []

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/resume",
        data={"back": "outbox"},
    )

    assert response.headers["Location"].endswith(
        f"/manage/events/{reg_event.slug}/notifications"
    )
    db.session.refresh(reg_event)
    assert reg_event.messages_paused_at is None
    enqueue_due_reminders(now=_week_due(reg_event) + timedelta(minutes=1))
    assert len(_reminders()) == 1


def test_another_organiser_cannot_pause(
    client, login, other_organiser, reg_event, plan
):
    login(other_organiser)

    response = client.post(f"/manage/events/{reg_event.slug}/notifications/pause")

    assert response.status_code in (403, 404)
    db.session.refresh(reg_event)
    assert reg_event.messages_paused_at is None


# -- test sends ---------------------------------------------------------------


def test_a_test_send_goes_to_the_organiser_through_the_outbox(
    reg_event, plan, make_registration, organiser, now
):
    make_registration(reg_event, email="real.person@example.org")

    email = send_test(reg_event, plan[1], organiser, now=now)
    db.session.commit()

    [row] = _rows()
    assert row.id == email.id
    assert row.recipient == "organiser@example.org"
    assert row.subject.startswith("[Test] ")
    assert row.event_id == reg_event.id
    assert row.status == "queued"
    assert row.list_unsubscribe == ""
    # Rendered for the organiser as a sample registrant, not for a real person.
    assert "real.person" not in row.body_text
    assert db.session.scalar(select(ReminderDispatch)) is None


def test_test_sends_are_rate_limited(reg_event, plan, organiser, now):
    for n in range(TEST_SEND_LIMIT):
        send_test(reg_event, plan[0], organiser, now=now + timedelta(seconds=n))
    with pytest.raises(Conflict):
        send_test(reg_event, plan[0], organiser, now=now + timedelta(minutes=1))
    assert len(_rows()) == TEST_SEND_LIMIT
    # The window passes: one more is allowed.
    send_test(reg_event, plan[5], organiser, now=now + timedelta(minutes=11))
    assert len(_rows()) == TEST_SEND_LIMIT + 1
    assert _rows()[-1].template == "reminder_organiser_nudge"


def test_a_test_send_is_not_held_by_a_pause(
    reg_event, plan, organiser, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    pause_messages(reg_event, organiser, now=now)
    send_test(reg_event, plan[3], organiser, now=now)
    db.session.commit()

    deliver_outbox(now=now)

    [received] = smtp_sink.handler.received
    assert received.message["Subject"].startswith("[Test] ")
    assert received.rcpt_tos == ["organiser@example.org"]


def test_test_send_button_queues_a_row_to_the_organiser(
    client, login, organiser, reg_event, plan
):
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{plan[0].id}/test"
    )

    assert response.status_code == 302
    [row] = _rows()
    assert (row.recipient, row.template) == ("organiser@example.org", "reminder")
    assert row.subject.startswith("[Test] Coming up in")  # the one-week reminder


def test_another_organiser_cannot_test_send(
    client, login, other_organiser, reg_event, plan
):
    login(other_organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{plan[0].id}/test"
    )

    assert response.status_code in (403, 404)
    assert _rows() == []


# -- cancelling queued messages ------------------------------------------------


def _queue_three(reg_event, make_registration):
    for _n in range(3):
        make_registration(reg_event)
    enqueue_due_reminders(now=_week_due(reg_event) + timedelta(minutes=1))
    rows = _reminders()
    assert len(rows) == 3
    return rows


def test_cancel_one_or_all_of_a_kind(
    reg_event, plan, make_registration, organiser, now
):
    first, second, third = _queue_three(reg_event, make_registration)
    registration = make_registration(reg_event, email="late@example.org")
    queue_registration_email(registration, "confirmed", now=now)
    db.session.commit()

    assert cancel_queued(reg_event, organiser, now=now, ids=[first.id]) == 1
    assert cancel_queued(reg_event, organiser, now=now, template="reminder") == 2
    db.session.commit()

    _refresh(first, second, third)
    assert [r.status for r in (first, second, third)] == ["withdrawn"] * 3
    assert first.last_error.startswith("Cancelled by ")
    [confirmation] = [r for r in _rows() if r.template.startswith("registration")]
    assert confirmation.status == "queued"
    with pytest.raises(Conflict):
        cancel_queued(reg_event, organiser, now=now, ids=[first.id])


def test_cancel_through_the_outbox_page(
    client, login, organiser, reg_event, plan, make_registration
):
    first, second, third = _queue_three(reg_event, make_registration)
    login(organiser)
    page = client.get(f"/manage/events/{reg_event.slug}/notifications")
    assert "Cancel all queued of this kind" in page.get_data(as_text=True)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/cancel",
        data={"ids": [str(first.id), str(third.id)]},
    )

    assert response.status_code == 302
    _refresh(first, second, third)
    assert [r.status for r in (first, second, third)] == [
        "withdrawn",
        "queued",
        "withdrawn",
    ]
    assert "Cancelled by" in first.last_error


def test_a_non_organiser_cannot_cancel(
    client, login, other_organiser, reg_event, plan, make_registration
):
    rows = _queue_three(reg_event, make_registration)
    login(other_organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/cancel",
        data={"template": "reminder"},
    )

    assert response.status_code in (403, 404)
    _refresh(*rows)
    assert {r.status for r in rows} == {"queued"}


def test_cancel_without_a_choice_changes_nothing(
    client, login, organiser, reg_event, plan, make_registration
):
    rows = _queue_three(reg_event, make_registration)
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/cancel",
        data={"ids": ["x"]},
        follow_redirects=True,
    )

    assert "Choose the messages to cancel." in response.get_data(as_text=True)
    _refresh(*rows)
    assert {r.status for r in rows} == {"queued"}


# -- List-Unsubscribe -----------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def test_reminders_carry_the_one_click_headers_and_confirmations_do_not(
    reg_event, plan, make_registration, smtp_sink, use_smtp, now
):
    use_smtp(smtp_sink.port)
    registration = make_registration(reg_event)
    queue_registration_email(registration, "confirmed", now=now)
    db.session.commit()
    deliver_outbox(now=now)
    due = _week_due(reg_event) + timedelta(minutes=1)
    enqueue_due_reminders(now=due)
    deliver_outbox(now=due)

    confirmation, reminder = (r.message for r in smtp_sink.handler.received)
    assert confirmation["List-Unsubscribe"] is None
    assert confirmation["List-Unsubscribe-Post"] is None
    assert reminder["List-Unsubscribe"] == f"<{list_unsubscribe_url(registration)}>"
    assert "/messages/unsubscribe/" in reminder["List-Unsubscribe"]
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opting_out_withdraws_queued_optional_messages_and_the_engine_skips(
    reg_event, plan, make_registration, now
):
    day = plan[1]
    registration = make_registration(reg_event)
    other = make_registration(reg_event)
    queue_registration_email(registration, "confirmed", now=now)
    enqueue_due_reminders(now=_week_due(reg_event) + timedelta(minutes=1))
    db.session.commit()

    assert opt_out(registration, now=now) == 1
    db.session.commit()
    enqueue_due_reminders(now=reg_event.start_at - timedelta(hours=23))

    statuses = {(r.recipient, r.template): r.status for r in _rows()}
    assert statuses[(registration.email, "reminder")] == "withdrawn"
    assert statuses[(other.email, "reminder")] == "queued"
    assert any(
        status == "queued" and template.startswith("registration")
        for (address, template), status in statuses.items()
    )
    skipped = _dispatch(day, registration)
    assert skipped.status == "skipped"
    assert skipped.reason == "unsubscribed from this event's messages"
    assert _dispatch(day, other).status == "queued"


def test_one_click_post_records_the_opt_out_and_get_changes_nothing(
    client, reg_event, plan, make_registration, now
):
    day = plan[1]
    registration = make_registration(reg_event)
    path = _path(list_unsubscribe_url(registration))

    page = client.get(path)

    assert page.status_code == 200
    assert "Unsubscribe" in page.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.messages_opted_out_at is None

    # As a mail client sends it (RFC 8058): no session, no CSRF token.
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.messages_opted_out_at is not None
    enqueue_due_reminders(now=reg_event.start_at - timedelta(hours=23))
    assert _dispatch(day, registration).status == "skipped"
    assert _reminders() == []


def test_a_forged_or_revoked_unsubscribe_link_is_not_found(
    client, reg_event, make_registration
):
    registration = make_registration(reg_event)
    path = _path(list_unsubscribe_url(registration))
    registration.manage_nonce = "rotated-by-erasure"
    db.session.commit()

    assert client.post(path).status_code == 404
    assert client.post(path[:-3] + "abc").status_code == 404
    db.session.refresh(registration)
    assert registration.messages_opted_out_at is None
