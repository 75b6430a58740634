"""An event's Emails page gives times in the event's zone, like its other pages."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.timeutil import format_datetime
from tests.notifications.test_event_outbox import make_event  # noqa: F401


def test_event_emails_page_shows_times_in_the_events_zone(
    client,
    login,
    organiser,
    make_event,  # noqa: F811
    queue_notice,
    now,
):
    event = make_event(organiser, "pj-consultation")
    sent = queue_notice("sent:1", to="siti@example.my", subject="Sent", event=event)
    sent.status, sent.sent_at = "sent", now - timedelta(hours=1)
    waiting = queue_notice("wait:1", to="tan@example.my", subject="Later", event=event)
    waiting.next_attempt_at = now + timedelta(minutes=30)
    db.session.commit()
    login(organiser)

    html = client.get("/manage/events/pj-consultation/notifications").get_data(
        as_text=True
    )

    for moment in (sent.sent_at, waiting.next_attempt_at):
        assert format_datetime(moment, "Asia/Kuala_Lumpur") in html
        assert moment.strftime("%Y-%m-%d %H:%M UTC") not in html
    assert "Kuala Lumpur time (UTC+8)" in html


def test_the_site_wide_outbox_stays_in_utc(client, login, admin, queue_notice, now):
    sent = queue_notice("sent:1", to="siti@example.my", subject="Sent")
    sent.status, sent.sent_at = "sent", now - timedelta(hours=1)
    db.session.commit()
    login(admin)
    html = client.get("/manage/outbox").get_data(as_text=True)
    assert sent.sent_at.strftime("%Y-%m-%d %H:%M UTC") in html
