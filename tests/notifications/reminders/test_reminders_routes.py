"""The organiser's plan pages: overview, edit with preview, access control."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from consult.events.models import EventOrganiser
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders import enqueue_due_reminders, ensure_default_plan
from consult.notifications.services import heartbeat
from consult.timeutil import now_utc
from tests.clock import day


def _items(event):
    return list(
        db.session.scalars(
            select(ReminderPlanItem)
            .where(ReminderPlanItem.event_id == event.id)
            .order_by(ReminderPlanItem.position)
        )
    )


def _form(**changes):
    values = {
        "kind": "reminder",
        "amount": "2",
        "unit": "days",
        "when": "before_start",
        "audience": "confirmed",
        "subject": "",
        "body": "",
        "enabled": "y",
        "save": "Save",
    }
    values.update(changes)
    return values


def test_plan_page_shows_the_default_plan_the_event_was_made_with(
    client, login, organiser, reg_event, make_registration
):
    make_registration(reg_event)
    login(organiser)

    page = client.get(f"/manage/events/{reg_event.slug}/notifications/plan")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert len(_items(reg_event)) == 6
    # 7 days before 16:00 in Kuala Lumpur on the event day, in the event's zone.
    week_before = day(14)
    shown = f"{week_before:%a} {week_before.day} {week_before:%b %Y}"
    assert f"{shown}, 16:00 Kuala Lumpur time" in html
    assert "Attendance reminder to organisers" in html
    assert "The scheduler has not reported for more than five minutes" in html


def test_plan_page_counts_what_was_sent_and_skipped(
    client, login, organiser, reg_event, make_registration, now
):
    ensure_default_plan(reg_event, now=now)
    db.session.commit()
    make_registration(reg_event)
    enqueue_due_reminders(now=reg_event.start_at + timedelta(minutes=1))
    heartbeat("heartbeat", now=now_utc())
    db.session.commit()
    login(organiser)

    html = client.get(f"/manage/events/{reg_event.slug}/notifications/plan").get_data(
        as_text=True
    )

    assert "event already started: 1" in html
    assert "Skipped: 1" in html
    assert "more than five minutes" not in html


def test_edit_saves_offset_audience_and_text(client, login, organiser, reg_event, now):
    item = ensure_default_plan(reg_event, now=now)[0]
    db.session.commit()
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_form(amount="3", unit="hours", subject="Soon: {event_title}",
                   type_keys=["research"]),
    )  # fmt: skip

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.offset_minutes == -180
    assert item.subject == "Soon: {event_title}"
    assert item.type_keys == ["research"]


def test_an_unknown_placeholder_is_refused_next_to_its_field(
    client, login, organiser, reg_event, now
):
    item = ensure_default_plan(reg_event, now=now)[0]
    db.session.commit()
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_form(body="Hello {fist_name}"),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="body-error"' in html and "Unknown placeholder {fist_name}" in html
    db.session.refresh(item)
    assert item.body == ""


def test_join_link_is_refused_in_messages_to_absentees(
    client, login, organiser, reg_event, now
):
    item = ensure_default_plan(reg_event, now=now)[4]
    db.session.commit()
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_form(kind="follow_up", when="after_end", audience="absentees",
                   body="Join {join_link}"),
    )  # fmt: skip

    assert response.status_code == 422
    assert "only available in messages to confirmed registrants" in (
        response.get_data(as_text=True)
    )


def test_preview_renders_for_a_registrant_without_saving(
    client, login, organiser, reg_event, make_registration, now
):
    item = ensure_default_plan(reg_event, now=now)[0]
    db.session.commit()
    make_registration(reg_event, full_name="Siti Aminah", timezone="Europe/Berlin")
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_form(subject="See you, {first_name}", body="Starts {start_local}.",
                   save="", preview="Preview"),
    )  # fmt: skip

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "See you, Siti" in html
    berlin = reg_event.start_at.astimezone(ZoneInfo("Europe/Berlin"))
    starts = f"{berlin:%a} {berlin.day} {berlin:%b}, {berlin:%H:%M} {berlin.tzname()}"
    assert f"Starts {starts} (16:00 in Kuala Lumpur)." in html
    db.session.refresh(item)
    assert item.subject == ""

    # The HTML version sits in a sandboxed frame; the page's policy allows the
    # email's own inline styles by hash, and nothing else inline.
    frame = re.search(
        r'<iframe class="email-preview-frame" sandbox srcdoc="([^"]*)"', html
    )
    assert frame is not None
    email_html = unescape(frame.group(1))
    assert "See you, Siti" not in email_html  # the subject is not in the body
    assert f"Starts {starts}" in email_html
    policy = response.headers["Content-Security-Policy"]
    styles = re.findall(r'style="([^"]*)"', email_html)
    assert styles
    for style in set(styles):
        digest = base64.b64encode(hashlib.sha256(unescape(style).encode()).digest())
        assert f"'sha256-{digest.decode()}'" in policy
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self';" in policy


def test_new_item_and_toggle(client, login, organiser, reg_event):
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/notifications/plan"

    client.post(f"{base}/new", data=_form(amount="30", unit="minutes"))
    added = _items(reg_event)[-1]
    client.post(f"{base}/{added.id}/toggle")

    assert len(_items(reg_event)) == 7
    db.session.refresh(added)
    assert (added.offset_minutes, added.enabled) == (-30, False)


def test_co_organiser_may_edit(client, login, organiser, other_organiser, reg_event):
    db.session.add(EventOrganiser(event_id=reg_event.id, user_id=other_organiser.id))
    db.session.commit()
    login(other_organiser)

    page = client.get(f"/manage/events/{reg_event.slug}/notifications/plan")

    assert page.status_code == 200


@pytest.mark.parametrize("suffix", ["", "/new"])
def test_another_organiser_is_refused(
    client, login, other_organiser, reg_event, suffix
):
    login(other_organiser)
    before = [(i.id, i.offset_minutes) for i in _items(reg_event)]

    page = client.get(f"/manage/events/{reg_event.slug}/notifications/plan{suffix}")

    assert page.status_code == 403
    assert [(i.id, i.offset_minutes) for i in _items(reg_event)] == before


def test_an_item_of_another_event_is_not_found(
    client, login, organiser, make_reg_event, other_organiser, now
):
    mine = make_reg_event(title="Mine")
    theirs = make_reg_event(owner=other_organiser, title="Theirs")
    item = ensure_default_plan(theirs, now=now)[0]
    db.session.commit()
    login(organiser)

    page = client.get(f"/manage/events/{mine.slug}/notifications/plan/{item.id}")
    toggle = client.post(
        f"/manage/events/{mine.slug}/notifications/plan/{item.id}/toggle"
    )

    assert (page.status_code, toggle.status_code) == (404, 404)
    db.session.refresh(item)
    assert item.enabled


def test_anonymous_visitors_are_sent_to_login(client, reg_event):
    page = client.get(f"/manage/events/{reg_event.slug}/notifications/plan")

    assert page.status_code == 302
    assert "/login" in page.headers["Location"]


def test_the_catch_up_rule_is_stated_and_its_margin_is_set_per_item(
    client, login, organiser, reg_event, now
):
    week = ensure_default_plan(reg_event, now=now)[0]
    db.session.commit()
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/notifications/plan"

    page = client.get(base).get_data(as_text=True)
    assert "only the latest one is sent" in page
    assert "42 hours for a reminder one week before" in page
    assert "Catch-up margin: 42 hours" in page  # the 7-day reminder's default
    assert "Catch-up margin: 15 minutes" in page  # the 1-hour one's

    saved = client.post(
        f"{base}/{week.id}", data=_form(amount="1", unit="weeks", margin="90")
    )
    assert saved.status_code == 302
    db.session.rollback()
    assert db.session.get(ReminderPlanItem, week.id).catch_up_margin_minutes == 90
    page = client.get(base).get_data(as_text=True)
    assert "Catch-up margin: 90 minutes" in page
    assert 'value="90"' in client.get(f"{base}/{week.id}").get_data(as_text=True)


def test_a_margin_out_of_range_is_refused_next_to_its_field(
    client, login, organiser, reg_event, now
):
    week = ensure_default_plan(reg_event, now=now)[0]
    db.session.commit()
    login(organiser)

    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{week.id}",
        data=_form(amount="1", unit="weeks", margin="999999"),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="margin-error"' in html
    db.session.rollback()
    assert db.session.get(ReminderPlanItem, week.id).catch_up_margin_minutes is None


def test_a_plan_item_reports_the_forms_and_the_services_problems_together(
    client, login, organiser, reg_event
):
    login(organiser)
    before = len(_items(reg_event))
    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/new",
        data=_form(
            amount="many",  # the form's rule
            audience="organisers",  # the service's: organiser reminders only
            subject="Hello {nobody}",  # the service's: an unknown placeholder
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Organiser reminders go to organisers" in page
    assert "{nobody}" in unescape(page.split('id="subject-error"', 1)[1])
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links[:1] == ["amount"] and {"audience", "subject"} <= set(links)
    assert len(_items(reg_event)) == before
