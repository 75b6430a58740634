"""From pages only: the person's language follows them.

An organiser account and an empty database; the organiser makes and
publishes an event through the forms. A visitor switches the site to Korean
(the pseudo-locale here, tests/i18n/recipients.py), registers (the form
offers Korean, already chosen), gets a Korean confirmation, changes to Malay
on their manage page, and the organiser's message then reaches them in Malay
while the organiser's own words stay as written.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from consult.auth.models import User
from consult.extensions import db
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from tests.clock import field, wall
from tests.i18n.recipients import (  # noqa: F401 (fixtures)
    app_config,
    choosing_afresh,
    is_pseudo,
    own_translations,
    pseudo_languages,
)
from tests.notifications.conftest import smtp_sink, use_smtp  # noqa: F401 (fixtures)

ZONE = "Asia/Kuala_Lumpur"


def _selected(html: str, name: str) -> str:
    """The value the page's <select name=...> has chosen."""
    select_html = re.search(
        rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S
    ).group(1)
    return re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', select_html).group(1)


def _arrived(sink, address: str) -> list:
    return [r.message for r in sink.handler.received if r.rcpt_tos == [address]]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_persons_language_follows_them_from_pages_only(
    app, client, organiser, login, now, request
):
    sink = request.getfixturevalue("smtp_sink")
    request.getfixturevalue("use_smtp")(sink.port)
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Bandar Kitaran Petaling Jaya", "timezone": ZONE,
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302

    # The visitor switches the site to Korean; the form offers Korean, chosen.
    visitor = choosing_afresh(app.test_client())
    choosing_afresh(client)
    switched = visitor.get(f"/language/ko?next=/events/{slug}/register")
    assert switched.status_code == 303
    form_page = visitor.get(f"/events/{slug}/register").get_data(as_text=True)
    assert '<html lang="ko"' in form_page
    assert _selected(form_page, "language") == "ko"
    assert "한국어" in form_page and "Bahasa Melayu" in form_page

    address = "minji.kim@example.kr"
    registered = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": "Kim Minji", "email": address, "country": "KR",
              "timezone": "Asia/Seoul", "type_key": "civil_society",
              "role": "attendee", "consent_privacy": "y",
              "language": _selected(form_page, "language")},
    )  # fmt: skip
    assert registered.status_code == 200
    registration = db.session.scalar(select(Registration))
    assert registration.language == "ko"

    # The confirmation, composed by the sender (no request): in Korean.
    deliver_outbox(now=now + timedelta(minutes=1))
    [confirmation] = _arrived(sink, address)
    assert confirmation["Content-Language"] == "ko"
    assert is_pseudo(confirmation["Subject"]) and is_pseudo(_text(confirmation))
    manage = urlsplit(
        re.search(
            rf"(http\S+/events/{slug}/registration/\S+)", _text(confirmation)
        ).group(1)
    ).path

    # The manage page shows Korean chosen; an unknown code changes nothing.
    manage_page = visitor.get(manage).get_data(as_text=True)
    assert _selected(manage_page, "language") == "ko"
    details = {"full_name": "Kim Minji", "country": "KR", "timezone": "Asia/Seoul"}
    refused = visitor.post(f"{manage}/details", data={**details, "language": "xx"})
    assert refused.status_code == 422
    assert 'id="language-error"' in refused.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.language == "ko"

    # Changed to Malay on the manage page.
    saved = visitor.post(f"{manage}/details", data={**details, "language": "ms"})
    assert saved.status_code == 302
    db.session.refresh(registration)
    assert registration.language == "ms"
    assert _selected(visitor.get(manage).get_data(as_text=True), "language") == "ms"

    # The organiser sees who gets which language, and writes to everyone.
    message_page = client.get(f"/manage/events/{slug}/registrations/message")
    html = message_page.get_data(as_text=True)
    assert re.search(r'data-language="ms">.*?Bahasa Melayu.*?1', html, re.S)
    sent = client.post(
        f"/manage/events/{slug}/registrations/message",
        data={
            "statuses": "confirmed",
            "subject": "Slides for Thursday",
            "body": "Please read them first.",
            "send": "1",
        },  # fmt: skip
    )
    assert sent.status_code == 302
    deliver_outbox(now=now + timedelta(minutes=2))
    message = _arrived(sink, address)[-1]
    assert message["Content-Language"] == "ms"
    assert str(message["Subject"]) == "Slides for Thursday"  # as written
    body = _text(message)
    assert "Please read them first." in body and is_pseudo(body)
    html_body = message.get_body(("html",)).get_content()
    assert '<html lang="ms">' in html_body


def test_an_account_sets_the_language_of_its_messages(app, client, organiser, login):
    login(choosing_afresh(client) and organiser)
    page = client.get("/auth/account").get_data(as_text=True)
    assert _selected(page, "language") == "en"

    refused = client.post("/auth/account", data={"language": "tlh"})
    assert refused.status_code == 422
    assert db.session.get(User, organiser.id).language is None

    assert client.post("/auth/account", data={"language": "ko"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, organiser.id).language == "ko"
    assert (
        _selected(client.get("/auth/account").get_data(as_text=True), "language")
        == "ko"
    )
