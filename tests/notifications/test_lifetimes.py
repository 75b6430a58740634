"""Whole event lifetimes: exactly which messages each person receives, and the
times they state, when the scheduler runs for weeks under a moving clock.

Registrants live in Kuala Lumpur (no daylight saving), Berlin and New York,
and the event falls just after both of those cities changed their clocks
(found from the test clock, so any day of the year gives the same story).
People act through the pages (the public form, their manage link, the
attendance import); the organiser moves and cancels through the services the
edit pages call; the real scheduler jobs queue and send, and a local SMTP
server receives. Each scenario asserts every message of every person.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import or_, select

from consult.events.services import (
    EventData,
    cancel_event,
    create_event,
    publish_event,
    update_event,
)
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services import manage_token
from consult.registration.services.event_changes import (
    calendar_snapshot,
    queue_calendar_cancellations,
    queue_calendar_updates,
)
from consult.surveys.services import SurveyData, add_question, create_survey
from consult.timeutil import to_local
from tests.factories import SERVER_NAMED
from tests.notifications.lifetimes import (
    Lifetime,
    both_changes,
    plan_moments,
    stated_time,
)
from tests.registration.test_attendance_pages import token_in
from tests.registration.test_public_pages import form
from tests.surveys.conftest import full_answers, question_data

JOIN = "https://zoom.example.org/j/987654321"
KL = "Asia/Kuala_Lumpur"
PEOPLE = {
    "siti@example.my": ("Siti Aminah", KL, "MY"),
    "anna@example.de": ("Anna Schmidt", "Europe/Berlin", "DE"),
    "john@example.com": ("John Miller", "America/New_York", "US"),
}
# Not at the start: those who come later in some stories.
LATER = {
    "dewi@example.id": ("Dewi Lestari", "Asia/Jakarta", "ID"),
    "wei@example.my": ("Tan Wei Ming", KL, "MY"),
}


@pytest.fixture
def app_config():
    """Messages composed by the scheduler carry absolute links."""
    return SERVER_NAMED


@pytest.fixture
def life(app, clock, smtp_sink, use_smtp):
    use_smtp(smtp_sink.port)
    return Lifetime(app, clock, smtp_sink.handler)


def _event(organiser, now, *, day, capacity=100, title="Designing Circular Cities"):
    """A published consultation webinar, 16:00-18:00 Kuala Lumpur time on `day`."""
    event = create_event(
        organiser,
        EventData(
            title=title,
            timezone=KL,
            start=datetime.combine(day, time(16)),
            end=datetime.combine(day, time(18)),
            join_url=JOIN,
            capacity=capacity,
        ),
        now=now,
    )
    publish_event(event, organiser, now=now)
    db.session.commit()
    return event


def _after_both_changes(now):
    """(a day before either city changes its clock, the event's day just after both)."""
    first, second = both_changes(now)
    return first - timedelta(days=10), (second + timedelta(days=3)).date()


def _register(client, event, email, **overrides):
    name, zone, country = {**PEOPLE, **LATER}[email]
    response = client.post(
        f"/events/{event.slug}/register",
        data=form(
            email=email, full_name=name, timezone=zone, country=country, **overrides
        ),
    )
    assert response.status_code == 200, response.text
    return _person(email)


def _person(email) -> Registration:
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def _manage(person) -> str:
    return f"/events/{person.event.slug}/registration/{manage_token(person)}"


def _day(moment: datetime) -> str:
    """A date as the messages write it: ``Wed 31 Mar``."""
    return f"{moment:%a} {moment.day} {moment:%b}"


def _local(moment: datetime) -> str:
    """An instant as an invite in the event's zone writes it: 20270331T160000."""
    return f"{moment.astimezone(ZoneInfo(KL)):%Y%m%dT%H%M%S}"


def _starts(event, zone_line: str) -> str:
    return f"{_day(event.start_at)}, {zone_line}"


def _zoom_report(event, attended: dict[str, int], absent: list[str]) -> bytes:
    """A Zoom webinar attendee report for the event: email -> minutes present."""
    local = event.start_at.astimezone(ZoneInfo(KL))

    def stamp(minutes):
        return (local + timedelta(minutes=minutes)).strftime("%m/%d/%Y %I:%M %p")

    lines = [
        "Attendee Report",
        f'Report Generated:,"{stamp(200)}"',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),"
        "# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views",
        f'{event.title},812 3456 7890,"{stamp(0)}",120,3,0,2,2,2',
        "Host Details,",
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
        "Time in Session (minutes),Country/Region Name",
        f'Yes,Host,organiser@example.org,"{stamp(0)}","{stamp(120)}",120,Malaysia',
        "Attendee Details,",
        "Attended,User Name (Original Name),First Name,Last Name,Email,"
        "Registration Time,Approval Status,Join Time,Leave Time,"
        "Time in Session (minutes),Is Guest,Country/Region Name",
    ]
    for email, minutes in attended.items():
        name = PEOPLE[email][0]
        first, last = name.split(" ", 1)
        lines.append(
            f'Yes,{name},{first},{last},{email},"{stamp(-9000)}",approved,'
            f'"{stamp(2)}","{stamp(2 + minutes)}",{minutes},Yes,Malaysia'
        )
    for email in absent:
        name = PEOPLE[email][0]
        first, last = name.split(" ", 1)
        lines.append(
            f'No,{name},{first},{last},{email},"{stamp(-9000)}",approved,--,--,--,--,--'
        )
    return ("\n".join(lines) + "\n").encode()


def _import_attendance(client, event, report: bytes):
    base = f"/manage/events/{event.slug}/attendance"
    preview = client.post(
        base,
        data={
            "report": (io.BytesIO(report), "zoom-webinar-attendee-report.csv"),
            "zone": KL,
            "threshold_minutes": "10",
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.text
    applied = client.post(
        f"{base}/apply", data={"token": token_in(preview.text)}, follow_redirects=True
    )
    assert applied.status_code == 200


def _siti_and_anna_attended(client, event):
    """The organiser imports the Zoom report: Siti and Anna were there, John not."""
    _import_attendance(
        client,
        event,
        _zoom_report(
            event,
            {"siti@example.my": 118, "anna@example.de": 95},
            ["john@example.com"],
        ),
    )


def _outbox_mentions(text: str) -> list[OutboundEmail]:
    db.session.expire_all()
    like = f"%{text}%"
    return list(
        db.session.scalars(
            select(OutboundEmail).where(
                or_(
                    OutboundEmail.recipient.ilike(like),
                    OutboundEmail.subject.ilike(like),
                    OutboundEmail.body_text.ilike(like),
                    OutboundEmail.body_html.ilike(like),
                )
            )
        )
    )


# -- 1. Three cities, both clock changes, attendance imported late ---------------


def test_three_cities_across_both_clock_changes_each_get_their_own_times(
    client, login, organiser, life, now
):
    registered, day = _after_both_changes(now)
    event = _event(organiser, now, day=day)
    life.run(now)
    life.act(registered)
    for email in PEOPLE:
        _register(client, event, email)
    life.run(registered + timedelta(minutes=1))
    start, end = event.start_at, event.end_at
    life.run_until(end + timedelta(days=1, hours=2), also=plan_moments(event))
    # The attendance report comes in a day and a half late: Siti and Anna
    # were there, John was not.
    life.act(end + timedelta(days=1, hours=4))
    login(organiser)
    _siti_and_anna_attended(client, event)
    life.run_until(end + timedelta(days=10), also=plan_moments(event))

    title = event.title
    own = {
        "siti@example.my": ("16:00–18:00 Kuala Lumpur time (UTC+8)", "16:00 UTC+8"),
        "anna@example.de": (
            "10:00–12:00 Berlin time (UTC+2)",
            "10:00 CEST (16:00 in Kuala Lumpur)",
        ),
        "john@example.com": (
            "04:00–06:00 New York time (UTC-4)",
            "04:00 EDT (16:00 in Kuala Lumpur)",
        ),
    }
    for email, (confirmed_as, reminded_as) in own.items():
        inbox = life.inbox(email)
        follow_up = (
            f"Sorry we missed you at {title}"
            if email == "john@example.com"
            else f"Thank you for joining {title}"
        )
        assert [m.subject for m in inbox] == [
            f"You are registered: {title}",
            f"Coming up in 1 week: {title}",
            f"Reminder: {title} starts in 1 day",
            f"Starting soon: {title} begins in 1 hour",
            follow_up,
        ], email
        confirmation, week, day_before, hour, after = inbox
        # The time of the event's own day, whatever the offset when it left.
        year = f"{_day(start)} {start.year}"
        assert stated_time(confirmation) == f"{year}, {confirmed_as}", email
        for reminder in (week, day_before, hour):
            assert stated_time(reminder) == _starts(event, reminded_as), email
        # Each left at its moment (the scheduler runs a minute after it).
        assert confirmation.at == registered + timedelta(minutes=1)
        assert week.at == start - timedelta(days=7) + timedelta(minutes=1)
        assert day_before.at == start - timedelta(days=1) + timedelta(minutes=1)
        assert hour.at == start - timedelta(hours=1) + timedelta(minutes=1)
        # Every invite names the one start, in the event's zone, unchanged.
        for message in (confirmation, week, day_before, hour):
            assert message.has_join_link(JOIN)
            assert message.event_field("DTSTART") == f"TZID={KL}:{_local(start)}"
            assert message.event_field("SEQUENCE") == "0"
        # The follow-up waited for the attendance, then left at the next run;
        # it carries no join link and no invite.
        assert end + timedelta(days=1, hours=4) < after.at
        assert after.at <= end + timedelta(days=1, hours=7)
        assert not after.has_join_link(JOIN) and after.calendar is None

    # The organiser was asked for the attendance once (a day after the end)
    # and not again once the import completed it.
    nudges = life.inbox("organiser@example.org")
    assert [(m.subject, m.at) for m in nudges] == [
        (
            f"Record the attendance of {title}",
            end + timedelta(days=1, minutes=1),
        )
    ]


# -- 2. Downtime, a promotion, a late seat, check-ins that are not attendance ----


def test_downtime_promotion_and_a_late_seat_send_only_what_is_still_true(
    client, login, organiser, life, now
):
    registered, day = _after_both_changes(now)
    event = _event(organiser, now, day=day, capacity=2)
    start, end = event.start_at, event.end_at
    title = event.title
    life.act(registered)
    siti = _register(client, event, "siti@example.my")
    anna = _register(client, event, "anna@example.de")
    life.run(registered + timedelta(minutes=1))
    life.act(registered + timedelta(days=1))
    john = _register(client, event, "john@example.com")
    assert john.status == "waitlisted"
    life.run(registered + timedelta(days=1, minutes=1))
    # The scheduler is down from eight days before the start until 23 hours
    # before: the 7-day and the 1-day reminders are both due when it is back.
    back = start - timedelta(hours=23)
    life.run_until(
        back,
        also=plan_moments(event),
        down=(start - timedelta(days=8), back),
    )
    life.run(back)
    # Anna cancels 20 hours before: John gets her seat.
    life.act(start - timedelta(hours=20))
    client.post(_manage(anna) + "/cancel", data={"confirm": "y"})
    assert _person("john@example.com").status == "confirmed"
    life.run(start - timedelta(hours=20, minutes=-1))
    life.run_until(start - timedelta(minutes=40), also=plan_moments(event))
    # John cannot come after all (40 minutes before), and Dewi in Jakarta
    # takes the free seat 30 minutes before the start.
    life.act(start - timedelta(minutes=40))
    client.post(_manage(john) + "/cancel", data={"confirm": "y"})
    life.run(start - timedelta(minutes=39))
    life.act(start - timedelta(minutes=30))
    dewi = _register(client, event, "dewi@example.id")
    assert dewi.status == "confirmed"
    life.run(start - timedelta(minutes=29))
    # Siti and Dewi are checked in during the event; that alone is not the
    # attendance, so no follow-up goes until the organiser says it is complete.
    life.act(start + timedelta(minutes=10))
    login(organiser)
    for person in (siti, dewi):
        checked = client.post(
            f"/manage/events/{event.slug}/registrations/{person.id}/check-in",
            data={"checked_in": "1"},
        )
        assert checked.status_code in (200, 302)
    life.run_until(end + timedelta(hours=6), also=plan_moments(event))
    assert not [m for m in life.delivered if m.at > start]
    life.act(end + timedelta(hours=6, minutes=30))
    done = client.post(f"/manage/events/{event.slug}/attendance/complete")
    assert done.status_code in (200, 302)
    life.run(end + timedelta(hours=6, minutes=31))
    life.run_until(end + timedelta(days=10), also=plan_moments(event))

    mine = {
        "siti@example.my": "16:00 UTC+8",
        "anna@example.de": "10:00 CEST (16:00 in Kuala Lumpur)",
        "john@example.com": "04:00 EDT (16:00 in Kuala Lumpur)",
    }
    seen = {
        email: [(m.subject, m.method, m.at) for m in life.inbox(email)]
        for email in (*PEOPLE, "dewi@example.id", "organiser@example.org")
    }
    registered_run = registered + timedelta(minutes=1)
    hour_before = start - timedelta(hours=1) + timedelta(minutes=1)
    thanked = end + timedelta(hours=6, minutes=31)
    assert seen == {
        # Only the latest of the reminders due after the downtime; the 1-hour
        # one on time; thanked once the attendance was complete.
        "siti@example.my": [
            (f"You are registered: {title}", "REQUEST", registered_run),
            (f"Reminder: {title} starts in 1 day", "REQUEST", back),
            (f"Starting soon: {title} begins in 1 hour", "REQUEST", hour_before),
            (f"Thank you for joining {title}", None, thanked),
        ],
        # Nothing after her cancellation.
        "anna@example.de": [
            (f"You are registered: {title}", "REQUEST", registered_run),
            (f"Reminder: {title} starts in 1 day", "REQUEST", back),
            (
                f"Your registration is cancelled: {title}",
                "CANCEL",
                start - timedelta(hours=20, minutes=-1),
            ),
        ],
        # Waiting (no invite), then a seat 20 hours before: the promotion is
        # his invite, and no reminder whose moment came before his seat.
        "john@example.com": [
            (
                f"You are on the waiting list: {title}",
                None,
                registered + timedelta(days=1, minutes=1),
            ),
            (
                f"A seat is free for you: {title}",
                "REQUEST",
                start - timedelta(hours=20, minutes=-1),
            ),
            (f"Starting soon: {title} begins in 1 hour", "REQUEST", hour_before),
            (
                f"Your registration is cancelled: {title}",
                "CANCEL",
                start - timedelta(minutes=39),
            ),
        ],
        # A seat 30 minutes before: the confirmation, no "in 1 hour".
        "dewi@example.id": [
            (f"You are registered: {title}", "REQUEST", start - timedelta(minutes=29)),
            (f"Thank you for joining {title}", None, thanked),
        ],
        # Attendance complete before the nudge's moment: no nudge.
        "organiser@example.org": [],
    }
    # The times each states are the event's day in the person's own zone.
    for email, phrase in mine.items():
        for message in life.inbox(email):
            if message.method == "REQUEST" and "Starting soon" in message.subject:
                assert stated_time(message) == _starts(event, phrase)
    [dewi_confirmation, _] = life.inbox("dewi@example.id")
    assert stated_time(dewi_confirmation) == (
        f"{_day(start)} {start.year}, 15:00–17:00 Jakarta time (UTC+7)"
    )
    assert dewi_confirmation.has_join_link(JOIN)
    [waiting, promoted, *_] = life.inbox("john@example.com")
    assert not waiting.has_join_link(JOIN) and promoted.has_join_link(JOIN)


# -- 3. Moved, cancelled and erased while the 1-day reminder waits; no attendance --


def _move(event, organiser, *, days: int, at):
    """The organiser moves the event by whole days, as the edit page does."""
    before = calendar_snapshot(event)
    local_start = event.start_at.astimezone(ZoneInfo(KL)).replace(tzinfo=None)
    local_end = event.end_at.astimezone(ZoneInfo(KL)).replace(tzinfo=None)
    update_event(
        event,
        organiser,
        EventData(
            title=event.title,
            timezone=event.timezone,
            start=local_start + timedelta(days=days),
            end=local_end + timedelta(days=days),
            join_url=event.join_url,
            capacity=event.capacity,
        ),
        now=at,
    )
    queue_calendar_updates(event, before, now=at)
    db.session.commit()


def test_changes_while_a_reminder_waits_and_an_attendance_never_recorded(
    client, login, organiser, life, now
):
    registered, day = _after_both_changes(now)
    event = _event(organiser, now, day=day, capacity=3)
    title = event.title
    life.act(registered)
    siti, anna, john = (_register(client, event, email) for email in PEOPLE)
    life.run(registered + timedelta(minutes=1))
    life.act(registered + timedelta(days=1))
    wei = _register(client, event, "wei@example.my")
    assert wei.status == "waitlisted"
    life.run(registered + timedelta(days=1, minutes=1))
    old_start = event.start_at
    life.run_until(old_start - timedelta(days=1), also=plan_moments(event))
    # The 1-day reminders are queued; before they leave, the organiser moves
    # the event two days later, Anna erases her data and Siti cancels (Wei
    # gets her seat).
    window = old_start - timedelta(days=1, minutes=-1)
    life.run(window, only="enqueue_reminders")
    life.act(window + timedelta(minutes=1))
    _move(event, organiser, days=2, at=window + timedelta(minutes=1))
    client.post(_manage(anna) + "/erase", data={"confirm": "y"})
    client.post(_manage(siti) + "/cancel", data={"confirm": "y"})
    assert _person("wei@example.my").status == "confirmed"
    life.run(window + timedelta(minutes=3))
    db.session.refresh(event)
    start, end = event.start_at, event.end_at
    assert start == old_start + timedelta(days=2)
    life.run_until(end + timedelta(days=2), also=plan_moments(event))
    # Nobody recorded the attendance: the dashboard warns before the
    # follow-ups expire, and says nothing once they have.
    login(organiser)
    dashboard = f"/manage/events/{event.slug}/dashboard"
    warning = "They will not be sent after"
    assert warning in client.get(dashboard).text
    life.run_until(end + timedelta(days=12), also=plan_moments(event))
    assert warning not in client.get(dashboard).text

    def seen(email):
        return [
            (m.subject, m.method, m.event_field("SEQUENCE"), m.has_join_link(JOIN))
            for m in life.inbox(email)
        ]

    first_run = registered + timedelta(minutes=1)
    assert [m.at for m in life.inbox("siti@example.my")][0] == first_run
    changed = window + timedelta(minutes=3)
    # Siti: the cancellation instead of the waiting 1-day reminder.
    assert seen("siti@example.my") == [
        (f"You are registered: {title}", "REQUEST", "0", True),
        (f"Coming up in 1 week: {title}", "REQUEST", "0", True),
        (f"Your registration is cancelled: {title}", "CANCEL", "2", False),
    ]
    assert life.inbox("siti@example.my")[-1].at == changed
    # Anna: nothing after her erasure, and nothing of her is left in the outbox.
    assert seen("anna@example.de") == [
        (f"You are registered: {title}", "REQUEST", "0", True),
        (f"Coming up in 1 week: {title}", "REQUEST", "0", True),
    ]
    assert _outbox_mentions("anna@example.de") == []
    assert _outbox_mentions("Anna Schmidt") == []
    # John: the move at once (the invite's next version), then the 1-day
    # reminder at its new moment, stating the new time.
    new_time = _starts(event, "04:00 EDT (16:00 in Kuala Lumpur)")
    assert seen("john@example.com") == [
        (f"You are registered: {title}", "REQUEST", "0", True),
        (f"Coming up in 1 week: {title}", "REQUEST", "0", True),
        (f"Updated: {title}", "REQUEST", "1", True),
        (f"Reminder: {title} starts in 1 day", "REQUEST", "1", True),
        (f"Starting soon: {title} begins in 1 hour", "REQUEST", "1", True),
    ]
    updated, day_before, hour_before = life.inbox("john@example.com")[2:]
    assert updated.at == changed
    assert (
        stated_time(updated)
        == f"{_day(start)} {start.year}, 04:00–06:00 New York time (UTC-4)"
    )
    assert updated.event_field("DTSTART") == f"TZID={KL}:{_local(start)}"
    assert (day_before.at, stated_time(day_before)) == (
        start - timedelta(days=1, minutes=-1),
        new_time,
    )
    assert (hour_before.at, stated_time(hour_before)) == (
        start - timedelta(minutes=59),
        new_time,
    )
    # Wei: waiting, so the move without link or invite; then Siti's seat,
    # with the new time; then both reminders of the new date.
    assert seen("wei@example.my") == [
        (f"You are on the waiting list: {title}", None, None, False),
        (f"Updated: {title}", None, None, False),
        (f"A seat is free for you: {title}", "REQUEST", "1", True),
        (f"Reminder: {title} starts in 1 day", "REQUEST", "1", True),
        (f"Starting soon: {title} begins in 1 hour", "REQUEST", "1", True),
    ]
    promoted = life.inbox("wei@example.my")[2]
    assert stated_time(promoted) == (
        f"{_day(start)} {start.year}, 16:00–18:00 Kuala Lumpur time (UTC+8)"
    )
    # No follow-up without an attendance; the organiser is asked every day
    # from a day after the end until the follow-ups expire, then no more.
    assert not [
        m for m in life.delivered if m.at > end and m.recipient != organiser.email
    ]
    nudges = life.inbox("organiser@example.org")
    assert {m.subject for m in nudges} == {f"Record the attendance of {title}"}
    expires = end + timedelta(hours=2) + timedelta(days=7)
    assert nudges[0].at == end + timedelta(days=1, minutes=1)
    assert all(
        later.at - earlier.at >= timedelta(days=1)
        for earlier, later in zip(nudges, nudges[1:], strict=False)
    )
    assert nudges[-1].at < expires <= nudges[-1].at + timedelta(days=1)
    assert len(nudges) == 7


# -- 4. The event is cancelled while the 1-hour reminder waits -------------------


def test_an_event_cancelled_while_a_reminder_waits(client, organiser, life, now):
    registered, day = _after_both_changes(now)
    event = _event(organiser, now, day=day, capacity=2)
    title = event.title
    life.act(registered)
    for email in PEOPLE:
        _register(client, event, email)
    life.run(registered + timedelta(minutes=1))
    start = event.start_at
    life.run_until(start - timedelta(hours=1), also=plan_moments(event))
    window = start - timedelta(minutes=59)
    life.run(window, only="enqueue_reminders")
    life.act(window + timedelta(minutes=1))
    cancel_event(
        event,
        organiser,
        "The venue network is down.",
        now=window + timedelta(minutes=1),
    )
    queue_calendar_cancellations(event, now=window + timedelta(minutes=1))
    db.session.commit()
    life.run(window + timedelta(minutes=2))
    life.run_until(start + timedelta(days=10), also=plan_moments(event))

    cancelled = window + timedelta(minutes=2)
    for email, zone_line in (
        ("siti@example.my", "16:00–18:00 Kuala Lumpur time (UTC+8)"),
        ("anna@example.de", "10:00–12:00 Berlin time (UTC+2)"),
    ):
        inbox = life.inbox(email)
        # The cancellation instead of the waiting 1-hour reminder; after it,
        # no follow-up.
        assert [(m.subject, m.method) for m in inbox] == [
            (f"You are registered: {title}", "REQUEST"),
            (f"Coming up in 1 week: {title}", "REQUEST"),
            (f"Reminder: {title} starts in 1 day", "REQUEST"),
            (f"Cancelled: {title}", "CANCEL"),
        ], email
        notice = inbox[-1]
        assert notice.at == cancelled
        assert stated_time(notice) == f"{_day(start)} {start.year}, {zone_line}"
        assert "The venue network is down." in notice.text
        assert not notice.has_join_link(JOIN)
        assert notice.event_field("SEQUENCE") == "1"
    # John was waiting: told too, without a link or an invite.
    waiting, notice = life.inbox("john@example.com")
    assert (waiting.subject, notice.subject) == (
        f"You are on the waiting list: {title}",
        f"Cancelled: {title}",
    )
    assert notice.at == cancelled
    assert notice.calendar is None and not notice.has_join_link(JOIN)
    # The organiser is not asked for the attendance of a cancelled event.
    assert life.inbox("organiser@example.org") == []
    withdrawn = db.session.scalars(
        select(OutboundEmail.status).where(OutboundEmail.template == "reminder")
    ).all()
    assert sorted(withdrawn).count("withdrawn") == 2


# -- 5. The feedback survey: the follow-up carries the link, reminders follow ----


def _survey_link(message) -> str:
    """The path of the personal survey link in a message, as a click opens it."""
    match = re.search(r"https?://[^/\s]+(/events/\S+/surveys/\S+)", message.text)
    assert match, message.text
    return match.group(1)


def test_the_feedback_survey_sequence_after_a_late_attendance(
    client, login, organiser, life, now
):
    registered, day = _after_both_changes(now)
    event = _event(organiser, now, day=day)
    title = event.title
    start, end = event.start_at, event.end_at
    life.act(registered)
    siti, anna, john = (_register(client, event, email) for email in PEOPLE)
    wei = _register(client, event, "wei@example.my")
    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="How was the consultation?",
            kind="post_event",
            audience="confirmed",
            opens=to_local(end, KL).replace(tzinfo=None),
            closes=to_local(end + timedelta(days=14), KL).replace(tzinfo=None),
            reminder_after_days=3,
        ),
        now=registered,
    )
    add_question(survey, organiser, question_data("likert"), now=registered)
    db.session.commit()
    life.run(registered + timedelta(minutes=1))
    # Wei cannot come after all.
    life.run_until(start - timedelta(days=3), also=plan_moments(event))
    life.act(start - timedelta(days=3))
    client.post(_manage(wei) + "/cancel", data={"confirm": "y"})
    life.run_until(end + timedelta(hours=5), also=plan_moments(event))
    # The attendance report is imported five hours after the end.
    life.act(end + timedelta(hours=5, minutes=30))
    login(organiser)
    _siti_and_anna_attended(client, event)
    followed_up = end + timedelta(hours=5, minutes=31)
    life.run(followed_up)
    # Siti answers a day later, through the link in her thank-you.
    life.act(end + timedelta(days=1))
    [thanks] = [m for m in life.inbox(siti.email) if m.subject.startswith("Thank")]
    answered = client.post(
        _survey_link(thanks), data={"action": "submit", **full_answers(survey)}
    )
    assert answered.status_code in (200, 302)
    # The organiser presses "Send invitations" two days after the end:
    # everyone still without an answer already has the link.
    life.run_until(end + timedelta(days=2), also=plan_moments(event))
    invited = client.post(
        f"/manage/events/{event.slug}/surveys/{survey.id}/invite",
        follow_redirects=True,
    )
    assert invited.status_code == 200
    reminded = followed_up + timedelta(days=3, minutes=1)
    life.run_until(end + timedelta(days=16), also=[*plan_moments(event), reminded])

    def seen(email):
        return [(m.subject, m.at) for m in life.inbox(email) if m.at > start]

    # The follow-up carries the survey link and starts each person's
    # sequence; the reminder comes three days after it, once, to those who
    # have not answered; Siti answered, Wei had cancelled.
    assert seen("siti@example.my") == [
        (f"Thank you for joining {title}", followed_up),
    ]
    assert seen("anna@example.de") == [
        (f"Thank you for joining {title}", followed_up),
        ("Reminder: How was the consultation?", reminded),
    ]
    assert seen("john@example.com") == [
        (f"Sorry we missed you at {title}", followed_up),
        ("Reminder: How was the consultation?", reminded),
    ]
    assert seen("wei@example.my") == []
    for email in ("anna@example.de", "john@example.com"):
        follow_up, reminder = (m for m in life.inbox(email) if m.at > start)
        assert _survey_link(reminder) == _survey_link(follow_up)
    # Before the end: the confirmation and the three reminders each; Wei's
    # cancellation ended hers.
    for email in PEOPLE:
        assert len([m for m in life.inbox(email) if m.at < start]) == 4
    assert [m.subject for m in life.inbox("wei@example.my")] == [
        f"You are registered: {title}",
        f"Coming up in 1 week: {title}",
        f"Your registration is cancelled: {title}",
    ]
