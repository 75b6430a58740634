"""From pages only: an organiser's event, two participants from two continents
register through the form, join the directory, find each other, agree a
meeting, and both invites show the same instant in their own zones."""

from __future__ import annotations

import re
from datetime import UTC
from urllib.parse import urlsplit

from icalendar import Calendar
from sqlalchemy import select

from consult.directory.models import MeetingRequest
from consult.extensions import db
from tests.clock import field, wall
from tests.effects import committed

LINK = re.compile(r"https?://\S+/registration/[^\s/]+")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _register(app, slug, name, email, country, zone, type_key):
    visitor = app.test_client()
    response = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": name, "email": email, "country": country,
              "timezone": zone, "type_key": type_key, "role": "attendee",
              "organisation": f"{name} Ltd", "consent_privacy": "y"},
    )  # fmt: skip
    assert response.status_code == 200, name
    return visitor


def _mails(outbox):
    """The outbox as sent; the texts the fixture composed are kept (committed)
    so that the next request's session starts clean."""
    mails = outbox()
    db.session.commit()
    return mails


def _manage_link(outbox, email) -> str:
    mail = next(m for m in _mails(outbox) if m.recipient == email)
    return _path(LINK.search(mail.body_text).group(0))


def _join(visitor, manage):
    page = visitor.get(manage).get_data(as_text=True)
    profile = re.search(r'href="([^"]+/directory/profile)"', page).group(1)
    response = visitor.post(
        profile, data={"listed": "y", "offering": "Experience with compost"}
    )
    assert response.status_code == 302


def _invite(outbox, email):
    mail = next(m for m in outbox() if m.recipient == email and "agreed" in m.subject)
    (attachment,) = mail.attachments
    event = Calendar.from_ical(attachment.content).walk("VEVENT")[0]
    return mail, event.decoded("dtstart")


def test_journey_from_pages_two_continents_meet(app, client, organiser, login, outbox):
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Circular business matchmaking", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302

    amina = _register(
        app, slug, "Amina Rahman", "amina@example.my", "MY",
        "Asia/Kuala_Lumpur", "government",
    )  # fmt: skip
    jan = _register(
        app, slug, "Jan de Vries", "jan@example.nl", "NL",
        "Europe/Amsterdam", "private",
    )  # fmt: skip
    amina_manage = _manage_link(outbox, "amina@example.my")
    jan_manage = _manage_link(outbox, "jan@example.nl")
    _join(amina, amina_manage)
    _join(jan, jan_manage)

    # Amina filters the directory to the Netherlands and asks Jan.
    listing = amina.get(f"{amina_manage}/directory", query_string={"country": "NL"})
    html = listing.get_data(as_text=True)
    assert "Jan de Vries" in html and "jan@example.nl" not in html
    ask = re.search(r'href="([^"]+/request)"', html).group(1)
    sent = amina.post(
        ask,
        data={"message": "Compost pilots?", "timezone": "Asia/Kuala_Lumpur",
              "slot_1": field(wall(5, 16)), "slot_2": field(wall(6, 16))},
    )  # fmt: skip
    assert sent.status_code == 302

    # Jan follows the link in his email and accepts the second time.
    request_mail = next(m for m in _mails(outbox) if "would like to meet" in m.subject)
    assert "amina@example.my" not in request_mail.body_text + request_mail.body_html
    answer_url = re.search(r"https?://\S+/directory/requests", request_mail.body_text)
    page = jan.get(_path(answer_url.group(0))).get_data(as_text=True)
    assert "amina@example.my" not in page
    accept = re.search(r'action="([^"]+/accept)"', page).group(1)
    slots = re.findall(r'name="slot" value="(\d+)"', page)
    assert jan.post(accept, data={"slot": slots[1]}).status_code == 302

    to_amina, amina_start = _invite(outbox, "amina@example.my")
    to_jan, jan_start = _invite(outbox, "jan@example.nl")
    assert "jan@example.nl" in to_amina.body_text
    assert "amina@example.my" in to_jan.body_text
    assert str(amina_start.tzinfo) == "Asia/Kuala_Lumpur"
    assert str(jan_start.tzinfo) == "Europe/Amsterdam"
    assert amina_start == jan_start
    assert amina_start.astimezone(UTC) == wall(6, 8).replace(tzinfo=UTC)
    assert amina_start.hour != jan_start.hour
    assert {r.status for r in committed().scalars(select(MeetingRequest))} == {
        "accepted"
    }
