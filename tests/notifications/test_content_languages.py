"""Messages to registrants carry the organiser's texts in the recipient's language.

Emails are composed inside the recipient's locale; the event's title, the
stakeholder type and the organiser's own reminder subject and body are then
read in that language (consult.content.text_in), falling back to the text as
the organiser wrote it when it is not translated.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from consult.content import set_translation
from consult.extensions import db
from consult.notifications.reminders import ensure_default_plan
from consult.notifications.reminders.messages import render_for
from consult.registration.services.emails import registration_email_text
from consult.registration.services.event_changes import (
    calendar_snapshot,
    change_lines,
)

TITLE = "Designing Circular Cities"
TITLE_MS = "Mereka Bentuk Bandar Kitaran"


@pytest.fixture
def malay_event(reg_event):
    """The registration event, offered in Malay with its title translated."""
    reg_event.content_languages = ["ms"]
    set_translation(reg_event, "title", "ms", TITLE_MS)
    db.session.commit()
    return reg_event


@pytest.fixture
def plan(malay_event, now):
    items = ensure_default_plan(malay_event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def test_a_confirmation_subject_names_the_event_in_the_recipients_language(
    malay_event, make_registration, now
):
    # Composed in the recipient's language, whoever composes it.
    reader = make_registration(malay_event, language="ms")
    other = make_registration(malay_event)
    malay = registration_email_text(reader, "confirmed", now=now)
    english = registration_email_text(other, "confirmed", now=now)
    assert TITLE_MS in malay.subject and TITLE not in malay.subject
    assert TITLE in english.subject and TITLE_MS not in english.subject


def test_an_untranslated_title_falls_back_to_the_organisers_text(
    reg_event, make_registration, now
):
    reg_event.content_languages = ["ms"]
    db.session.commit()
    registration = make_registration(reg_event)
    with force_locale("ms"):
        malay = registration_email_text(registration, "confirmed", now=now)
    assert TITLE in malay.subject


def test_the_body_and_its_invite_are_in_the_composing_language(
    app, malay_event, make_registration, now, monkeypatch
):
    registration = make_registration(malay_event)
    # Bodies are rendered in the locale messages are composed in; here the
    # site's default is Malay (an event whose recipients default to Malay).
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "ms")
    with force_locale("ms"):
        composed = registration_email_text(registration, "confirmed", now=now)
    assert TITLE_MS in composed.body_text
    assert TITLE_MS in composed.body_html
    invite = composed.attachments[0].content
    invite = invite.decode() if isinstance(invite, bytes) else invite
    assert f"SUMMARY:{TITLE_MS}" in invite.replace("\r\n ", "")


def test_the_organisers_reminder_text_is_read_in_the_recipients_language(
    plan, malay_event, make_registration, now
):
    registration = make_registration(malay_event)
    day = plan[1]
    day.subject = "Tomorrow: {event_title}"
    day.body = "Hello {first_name},\n\nSee you tomorrow."
    set_translation(day, "subject", "ms", "Esok: {event_title}")
    set_translation(day, "body", "ms", "Helo {first_name},\n\nJumpa esok.")
    db.session.commit()
    with force_locale("ms"):
        malay = render_for(day, registration, now=now)
    english = render_for(day, registration, now=now)
    assert malay.subject == f"Esok: {TITLE_MS}"
    assert malay.paragraphs[-1] == "Jumpa esok."
    assert english.subject == f"Tomorrow: {TITLE}"
    assert english.paragraphs[-1] == "See you tomorrow."


def test_an_untranslated_reminder_text_falls_back_and_an_empty_one_uses_the_default(
    plan, malay_event, make_registration, now
):
    registration = make_registration(malay_event)
    week, day = plan[0], plan[1]
    day.subject = "Tomorrow: {event_title}"
    # A translation left from a text the organiser has since removed.
    week.subject = ""
    set_translation(week, "subject", "ms", "Lama: {event_title}")
    db.session.commit()
    with force_locale("ms"):
        untranslated = render_for(day, registration, now=now)
        standard = render_for(week, registration, now=now)
    # The organiser's English text, with the event's Malay title in it.
    assert untranslated.subject == f"Tomorrow: {TITLE_MS}"
    # No text of the organiser's: the catalogue's subject, not the stale one.
    assert "Lama" not in standard.subject
    assert TITLE_MS in standard.subject


def test_a_new_title_is_news_only_to_readers_whose_title_changed(malay_event):
    before = calendar_snapshot(malay_event)
    malay_event.title = "Circular Cities Clinic"
    with force_locale("ms"):
        malay = change_lines(before, malay_event, malay_event.timezone)
    english = change_lines(before, malay_event, malay_event.timezone)
    # The Malay title did not change: no line for a Malay reader.
    assert malay == []
    assert english == [
        "New title: “Circular Cities Clinic” (was “Designing Circular Cities”)."
    ]
    db.session.rollback()


def test_a_changed_translation_is_told_in_the_readers_language(malay_event):
    before = calendar_snapshot(malay_event)
    set_translation(malay_event, "title", "ms", "Klinik Bandar Kitaran")
    with force_locale("ms"):
        malay = change_lines(before, malay_event, malay_event.timezone)
    assert len(malay) == 1
    assert "Klinik Bandar Kitaran" in malay[0] and TITLE_MS in malay[0]
    db.session.rollback()
