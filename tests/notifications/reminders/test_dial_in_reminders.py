"""Reminders carry the dial-in numbers beside the join link, to confirmed
people only; follow-ups never do."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)
from consult.notifications.reminders.messages import preview

NUMBERS = [
    {"country": "GB", "number": "+442079460000", "label": "toll-free"},
    {"country": "MY", "number": "+60321234567", "label": ""},
]


def test_a_reminder_gives_the_confirmed_person_the_numbers_theirs_first(
    make_reg_event, make_registration, now, outbox
):
    event = make_reg_event(dial_in_numbers=NUMBERS, dial_in_code="812 3456#")
    week = ensure_default_plan(event, now=now - timedelta(days=10))[0]
    db.session.commit()
    make_registration(event, "siti@example.my", country="MY")
    make_registration(event, "john@example.com", country="US")

    assert enqueue_due_reminders(now=due_at(week, event)).queued == 2

    emails = {e.recipient: e for e in outbox() if e.dedup_key.startswith("reminder:")}
    siti = emails["siti@example.my"]
    assert siti.body_text.index(event.join_url) < siti.body_text.index(
        "Or join by phone:\nMalaysia: +60 3-2123 4567\n"
        "United Kingdom (toll-free): +44 20 7946 0000\nAccess code: 812 3456#"
    )
    assert '<a href="tel:+60321234567">+60 3-2123 4567</a>' in siti.body_html
    john = emails["john@example.com"].body_text
    # No number of his own: the organiser's order.
    assert john.index("United Kingdom (toll-free)") < john.index("Malaysia: +60")


def test_no_numbers_for_the_waiting_list_nor_in_a_follow_up(
    make_reg_event, make_registration, now
):
    event = make_reg_event(dial_in_numbers=NUMBERS, dial_in_code="812 3456#")
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    week = items[0]
    follow_up = next(i for i in items if i.kind == "follow_up")
    waiting = make_registration(event, status="waitlisted")
    seated = make_registration(event)

    for item, person in ((week, waiting), (follow_up, seated)):
        assert isinstance(item, ReminderPlanItem)
        shown = preview(item, person, now=now)
        assert "7946" not in shown["text"] and "7946" not in shown["html"]
        assert "812 3456#" not in shown["text"] + shown["html"]
    assert "7946" in preview(week, seated, now=now)["text"]
