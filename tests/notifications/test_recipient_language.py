"""Every message is composed in its recipient's language, by the sender.

Korean here is the pseudo-locale (tests/i18n/recipients.py): a message
composed in Korean reads ``⟦...⟧``, an English one plain English. Each test
queues a message to a person who prefers Korean and one to a person who
prefers English, then sends them the way the scheduler does (no request; the
app's default language is English), through a real SMTP server, and reads
what arrived: subject, text and HTML bodies, ``<html lang>``,
``Content-Language`` and the calendar invite's texts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from consult.events.services import EventData, update_event
from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.event_changes import (
    calendar_snapshot,
    queue_calendar_updates,
)
from consult.surveys.services import send_invitations
from tests.i18n.recipients import (  # noqa: F401 (fixtures)
    app_config,
    is_pseudo,
    own_translations,
    pseudo_languages,
)
from tests.surveys.conftest import make_survey  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("own_translations")


@pytest.fixture
def people(reg_event, make_registration):
    """Two confirmed registrants: one prefers Korean, one English."""
    korean = make_registration(reg_event, "minji@example.kr", language="ko")
    english = make_registration(reg_event, "ana@example.org", language="en")
    return korean, english


@pytest.fixture
def sent(smtp_sink, use_smtp):
    """sent(now) -> {recipient: the message that arrived}, after one run of the
    sender (as the scheduler runs it: no request context)."""
    use_smtp(smtp_sink.port)

    def _send(now):
        report = deliver_outbox(now=now)
        assert report.failed == 0, report.errors
        return {r.rcpt_tos[0]: r.message for r in smtp_sink.handler.received}

    return _send


def _parts(message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/plain", "text/html", "text/calendar"):
            found.setdefault(kind, part.get_content())
    return found


def assert_korean(message) -> None:
    parts = _parts(message)
    assert message["Content-Language"] == "ko"
    assert is_pseudo(parts["text/plain"])
    assert '<html lang="ko">' in parts["text/html"]
    assert is_pseudo(parts["text/html"])


def assert_english(message) -> None:
    parts = _parts(message)
    assert not is_pseudo(str(message["Subject"]))
    assert message["Content-Language"] == "en"
    assert not is_pseudo(parts["text/plain"])
    assert '<html lang="en">' in parts["text/html"]
    assert not is_pseudo(parts["text/html"])


def _invite_texts(message) -> str:
    calendar = Calendar.from_ical(_parts(message)["text/calendar"])
    [event] = calendar.walk("VEVENT")
    return f"{event.get('summary')}\n{event.get('description')}"


def test_a_confirmation_is_composed_in_each_persons_language(
    app, people, reg_event, now, sent
):
    korean, english = people
    for registration in people:
        queue_registration_email(registration, "confirmed", now=now)
    db.session.commit()

    arrived = sent(now + timedelta(seconds=30))

    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
    assert_korean(arrived[korean.email])
    assert is_pseudo(str(arrived[korean.email]["Subject"]))
    assert_english(arrived[english.email])
    assert str(arrived[english.email]["Subject"]) == (
        f"You are registered: {reg_event.title}"
    )
    # The invite: the organiser's title as written, Consult's own lines in Korean.
    korean_invite = _invite_texts(arrived[korean.email])
    assert reg_event.title in korean_invite and is_pseudo(korean_invite)
    assert not is_pseudo(_invite_texts(arrived[english.email]))
    # The outbox keeps the language with what was sent.
    languages = dict(
        db.session.execute(
            select(OutboundEmail.recipient, OutboundEmail.language)
        ).all()
    )
    assert languages == {korean.email: "ko", english.email: "en"}


def test_a_reminder_is_composed_in_each_persons_language(people, reg_event, now, sent):
    korean, english = people
    week = ensure_default_plan(reg_event, now=now - timedelta(days=10))[0]
    db.session.commit()
    due = due_at(week, reg_event)
    assert enqueue_due_reminders(now=due).queued == 2

    arrived = sent(due + timedelta(seconds=30))

    assert_korean(arrived[korean.email])
    assert is_pseudo(str(arrived[korean.email]["Subject"]))
    assert_english(arrived[english.email])
    assert str(arrived[english.email]["Subject"]).startswith("Coming up in 1 week")


def test_an_organisers_own_reminder_text_stays_as_written(people, reg_event, now, sent):
    korean, _english = people
    week = ensure_default_plan(reg_event, now=now - timedelta(days=10))[0]
    week.subject = "See you next week at {event_title}"
    week.body = "Bring your questions about plastics."
    db.session.commit()
    due = due_at(week, reg_event)
    enqueue_due_reminders(now=due)

    message = sent(due + timedelta(seconds=30))[korean.email]

    assert str(message["Subject"]) == f"See you next week at {reg_event.title}"
    assert "Bring your questions about plastics." in _parts(message)["text/plain"]
    assert_korean(message)  # the frame around it: greeting, times, footer


def test_a_survey_invitation_is_composed_in_each_persons_language(
    people, reg_event, organiser, now, sent, request
):
    korean, english = people
    survey = request.getfixturevalue("make_survey")(reg_event)
    send_invitations(survey, organiser, now=now)
    db.session.commit()

    arrived = sent(now + timedelta(seconds=30))

    assert_korean(arrived[korean.email])
    assert is_pseudo(str(arrived[korean.email]["Subject"]))
    assert_english(arrived[english.email])
    assert str(arrived[english.email]["Subject"]) == (
        f"Your views, please: {survey.title}"
    )


def test_a_move_notice_and_its_invite_are_in_each_persons_language(
    people, reg_event, organiser, now, sent
):
    korean, english = people
    later = now + timedelta(hours=1)
    before = calendar_snapshot(reg_event)
    start = reg_event.start_at + timedelta(days=2)
    zone = reg_event.timezone
    update_event(
        reg_event,
        organiser,
        EventData(
            title=reg_event.title,
            timezone=zone,
            start=_wall(start, zone),
            end=_wall(start + (reg_event.end_at - reg_event.start_at), zone),
            summary=reg_event.summary,
            join_url=reg_event.join_url,
            capacity=reg_event.capacity,
        ),
        now=later,
    )
    assert len(queue_calendar_updates(reg_event, before, now=later)) == 2
    db.session.commit()

    arrived = sent(later + timedelta(seconds=30))

    korean_notice = arrived[korean.email]
    assert_korean(korean_notice)
    assert is_pseudo(str(korean_notice["Subject"]))
    assert is_pseudo(_invite_texts(korean_notice))
    assert_english(arrived[english.email])
    # The "what changed" lines, and the dates in them, in each language.
    english_text = _parts(arrived[english.email])["text/plain"]
    korean_text = _parts(korean_notice)["text/plain"]
    assert "New time:" in english_text and "New time:" not in korean_text
    # Babel's Korean dates ("2026년 12월 17일 (목)"), English ones for English.
    assert "년" in korean_text and "년" not in english_text
    assert not is_pseudo(_invite_texts(arrived[english.email]))


def _wall(moment: datetime, zone: str) -> datetime:
    from consult.timeutil import to_local

    return to_local(moment, zone).replace(tzinfo=None)
