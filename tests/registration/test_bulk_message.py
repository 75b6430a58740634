"""The organiser's message with a text per language: who gets which text, in
which language the whole message is written, and nothing queued on a mistake.

The service tests build the event with the shared factories; the page test
starts from an empty database: the organiser makes the event through the
forms and the readers register on the public page.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.bulk_message import (
    EVENT_DEFAULT,
    EVERYONE,
    OWN,
    TextChoice,
    choose_text,
    send_bulk_message,
)
from consult.registration.services.organiser_queries import RegistrantFilter
from tests.clock import field, wall
from tests.effects import committed

MALAY = ("Slaid untuk Khamis", "Sila baca dahulu.")
ENGLISH = ("Slides for Thursday", "Please read them first.")
EVERYONE_TEXT = ("Thursday / Khamis / 목요일", "Slides: see the event page.")


def _signature(language: str, name: str) -> str:
    """The line under the organiser's words, in ``language``."""
    with force_locale(language):
        return gettext("— %(name)s, for the organisers", name=name)


def _by_recipient(rows) -> dict[str, OutboundEmail]:
    return {row.recipient: row for row in rows}


@pytest.fixture
def readers(reg_event, make_registration):
    """One reader of Malay, one of Korean, one who chose no language."""
    return {
        "ms": make_registration(reg_event, language="ms"),
        "ko": make_registration(reg_event, language="ko"),
        "none": make_registration(reg_event, language=None),
    }


def test_the_rules_of_who_gets_which_text():
    own = TextChoice("ms", OWN, "ms", "ms")
    assert choose_text("ms", {"ms", "en"}, "en") == own
    events = TextChoice("ko", EVENT_DEFAULT, "en", "en")
    assert choose_text("ko", {"ms", "en"}, "en") == events
    everyone = TextChoice("ko", EVERYONE, None, "ko")
    assert choose_text("ko", {"ms"}, "en") == everyone


def test_each_reader_gets_their_languages_text_or_the_events_one(
    reg_event, readers, organiser, now, outbox
):
    outcome = send_bulk_message(
        reg_event,
        RegistrantFilter(),
        organiser,
        subject="",
        body="",
        texts={"ms": MALAY, "en": ENGLISH},
        now=now,
    )
    db.session.commit()
    assert (outcome.queued, outcome.without_email) == (3, 0)
    rows = _by_recipient(outbox())
    malay = rows[readers["ms"].email]
    assert (malay.subject, malay.language) == (MALAY[0], "ms")
    assert MALAY[1] in malay.body_text and ENGLISH[1] not in malay.body_text
    assert _signature("ms", organiser.display_name) in malay.body_text
    # No Korean text: the English one, and the whole message in English.
    korean = rows[readers["ko"].email]
    assert (korean.subject, korean.language) == (ENGLISH[0], "en")
    assert ENGLISH[1] in korean.body_text
    assert _signature("en", organiser.display_name) in korean.body_text
    assert _signature("ko", organiser.display_name) not in korean.body_text
    assert '<html lang="en">' in korean.body_html
    # No language chosen: the site's default, English.
    plain = rows[readers["none"].email]
    assert (plain.subject, plain.language) == (ENGLISH[0], "en")


def test_without_a_text_in_the_events_language_the_text_for_everyone(
    reg_event, readers, organiser, now, outbox
):
    send_bulk_message(
        reg_event,
        RegistrantFilter(),
        organiser,
        subject=EVERYONE_TEXT[0],
        body=EVERYONE_TEXT[1],
        texts={"ms": MALAY, "ko": ("", "")},
        now=now,
    )
    db.session.commit()
    rows = _by_recipient(outbox())
    assert rows[readers["ms"].email].subject == MALAY[0]
    # The text for everyone keeps each reader's greeting and footer.
    korean = rows[readers["ko"].email]
    assert (korean.subject, korean.language) == (EVERYONE_TEXT[0], "ko")
    assert EVERYONE_TEXT[1] in korean.body_text
    assert _signature("ko", organiser.display_name) in korean.body_text
    assert rows[readers["none"].email].language == "en"


@pytest.mark.parametrize(
    ("subject", "body", "texts", "field"),
    [
        ("News", "Text", {"ms": ("Berita", "")}, "body_ms"),
        ("News", "Text", {"ko": ("", "본문")}, "subject_ko"),
        ("News", "", {}, "body"),
        ("", "", {"ms": MALAY}, "subject"),  # no fallback for the others
        ("News", "Text", {"ko": ("x" * 201, "본문")}, "subject_ko"),
        ("News", "Text", {"ms": ("Berita", "x" * 10001)}, "body_ms"),
    ],
)
def test_a_mistake_names_its_field_and_queues_nothing(
    reg_event, readers, organiser, now, subject, body, texts, field
):
    with pytest.raises(ValidationFailed) as refused:
        send_bulk_message(
            reg_event,
            RegistrantFilter(),
            organiser,
            subject=subject,
            body=body,
            texts=texts,
            now=now,
        )
    assert refused.value.field == field
    db.session.rollback()
    assert committed().scalars(select(OutboundEmail)).all() == []


def test_a_language_consult_does_not_write_is_refused(
    reg_event, readers, organiser, now
):
    with pytest.raises(ValidationFailed):
        send_bulk_message(
            reg_event,
            RegistrantFilter(),
            organiser,
            subject="News",
            body="Text",
            texts={"xx": ("News", "Text")},
            now=now,
        )


def _register(app, slug: str, name: str, email: str, language: str) -> None:
    visitor = app.test_client()
    response = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": name, "email": email, "country": "MY",
              "timezone": "Asia/Kuala_Lumpur", "type_key": "civil_society",
              "role": "attendee", "consent_privacy": "y", "language": language},
    )  # fmt: skip
    assert response.status_code == 200, response.get_data(as_text=True)


def _plan(html: str) -> dict[str, str]:
    """Reader's language -> the text they get, as the page says."""
    return dict(re.findall(r'<li data-language="([^"]+)" data-gets="([^"]+)"', html))


def test_the_organiser_writes_a_text_per_language_from_the_pages(
    app, client, organiser, login
):
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Bandar Kitaran", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    _register(app, slug, "Siti Aminah", "siti@example.my", "ms")
    _register(app, slug, "Nur Hidayah", "nur@example.my", "ms")
    _register(app, slug, "Kim Minji", "minji@example.kr", "ko")
    _register(app, slug, "Ann Lee", "ann@example.com", "en")
    page_url = f"/manage/events/{slug}/registrations/message"
    messages = lambda: committed().scalars(select(OutboundEmail).where(  # noqa: E731
        OutboundEmail.template == "registration_message")).all()  # fmt: skip

    # Every language the readers read has its fields, with its count.
    html = client.get(page_url).get_data(as_text=True)
    for code in ("en", "ms", "ko"):
        assert f'name="subject_{code}"' in html and f'name="body_{code}"' in html
    assert 'name="subject_vi"' not in html
    assert re.search(r'<legend><span lang="ms">Bahasa Melayu</span> · 2 ', html)
    assert _plan(html) == {"ms": "everyone", "ko": "everyone", "en": "everyone"}

    # A Malay subject without its body: said next to the field, all kept.
    typed = {"statuses": "confirmed", "subject": "", "body": "", "subject_ms": MALAY[0],
             "body_ms": "", "subject_en": ENGLISH[0], "body_en": ENGLISH[1]}  # fmt: skip
    refused = client.post(page_url, data=typed)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="body_ms-error"' in html
    assert f'value="{MALAY[0]}"' in html and ENGLISH[1] in html
    assert messages() == []

    # Checking shows who gets which text and sends nothing.
    typed["body_ms"] = MALAY[1]
    checked = client.post(page_url, data={**typed, "check": "1"})
    assert checked.status_code == 200
    assert _plan(checked.get_data(as_text=True)) == {
        "ms": "ms", "ko": "en", "en": "en"}  # fmt: skip
    assert messages() == []

    sent = client.post(page_url, data={**typed, "send": "1"})
    assert sent.status_code == 302
    got = {m.recipient: (m.subject, m.language) for m in messages()}
    assert got == {
        "siti@example.my": (MALAY[0], "ms"),
        "nur@example.my": (MALAY[0], "ms"),
        "minji@example.kr": (ENGLISH[0], "en"),
        "ann@example.com": (ENGLISH[0], "en"),
    }
    bodies = {m.recipient: m for m in messages()}
    assert MALAY[1] in bodies["siti@example.my"].body_text
    assert ENGLISH[1] in bodies["minji@example.kr"].body_text
    person = committed().scalar(
        select(Registration).where(Registration.email == "minji@example.kr")
    )
    assert person.language == "ko"

    # The event's outbox says in which language each message went.
    outbox_html = client.get(f"/manage/events/{slug}/notifications").get_data(
        as_text=True
    )
    assert outbox_html.count('data-language="ms">Malay</span>') == 2
    assert outbox_html.count('data-language="en">English</span>') >= 2
