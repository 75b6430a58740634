"""A confirmation in each of the seven languages, with the real catalogues.

One registrant per interface language; the sender (no request, the app's
default language English) writes each message in its recipient's language:
subject and body from that language's catalogue, `Content-Language`, UTF-8
parts, and a subject header that decodes back to the same text.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from config import Config
from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.registration.services.emails import queue_registration_email

BODY = "You are registered for this event. We look forward to seeing you."


@pytest.mark.parametrize("language", Config.LANGUAGES)
def test_a_confirmation_in_each_language(
    reg_event, make_registration, smtp_sink, use_smtp, now, language
):
    use_smtp(smtp_sink.port)
    person = make_registration(reg_event, "reader@example.org", language=language)
    queue_registration_email(person, "confirmed", now=now)
    db.session.commit()

    report = deliver_outbox(now=now)

    assert report.failed == 0, report.errors
    [received] = smtp_sink.handler.received
    message = received.message
    with force_locale(language):
        subject = _("You are registered: %(title)s", title=reg_event.title)
        greeting = _(BODY)
    if language != "en":
        assert subject != f"You are registered: {reg_event.title}"  # translated
        assert greeting != BODY
    assert str(message["Subject"]) == subject
    assert message["Content-Language"] == language.replace("_", "-")
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert greeting in text.get_content()
    assert f'lang="{language.replace("_", "-")}"' in html.get_content()
    # Non-ASCII subjects travel encoded (RFC 2047) and decode to the same text.
    raw_subject = next(
        line
        for line in received.content.decode("utf-8").splitlines()
        if line.startswith("Subject:")
    )
    assert raw_subject.isascii()
    if not subject.isascii():
        assert "=?utf-8?" in raw_subject.lower()
