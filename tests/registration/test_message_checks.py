"""Before a message goes to many people: who it reaches by default (the
confirmed), the count of each status, the message exactly as one real
recipient gets it, and a test to the organiser alone; then a confirmed send.

Services first, then the page through HTTP (each step's outbox rows), then a
journey from the pages alone: an empty database and an organiser account.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.controls import TEST_SEND_LIMIT, TEST_SUBJECT_PREFIX
from consult.notifications.models import TEST_SEND_PREFIX, OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.registration.services.bulk_message import send_bulk_message
from consult.registration.services.bulk_message_checks import (
    preview_message,
    send_test_message,
    status_counts,
)
from consult.registration.services.organiser_queries import RegistrantFilter
from tests.clock import field, wall
from tests.effects import committed
from tests.notifications.conftest import smtp_sink, use_smtp  # noqa: F401 (fixtures)

NEWS = {"subject": "Slides for Thursday", "body": "Please read them first."}


@pytest.fixture
def people(reg_event, make_registration):
    """Two confirmed (Zainab, Aiman), one waiting, one pending, one cancelled,
    one confirmed without an address (registered by an organiser)."""
    return {
        "zainab": make_registration(reg_event, full_name="Zainab Ali"),
        "aiman": make_registration(reg_event, full_name="aiman Rahman"),
        "waiting": make_registration(reg_event, status="waitlisted"),
        "pending": make_registration(reg_event, status="pending"),
        "cancelled": make_registration(reg_event, status="cancelled"),
        "assisted": make_registration(reg_event, email="", assisted=True),
    }


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _rows():
    return committed().scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()


def test_counts_per_status_say_who_has_an_address(reg_event, people):
    counts = {c.status: (c.reachable, c.unreachable) for c in status_counts(
        reg_event, RegistrantFilter())}  # fmt: skip
    assert counts == {
        "confirmed": (2, 1),
        "waitlisted": (1, 0),
        "pending": (1, 0),
        "rejected": (0, 0),
        "cancelled": (1, 0),
    }


def test_a_message_goes_to_the_confirmed_people_unless_others_are_chosen(
    reg_event, people, organiser, now
):
    outcome = send_bulk_message(
        reg_event, RegistrantFilter(), organiser, now=now, **NEWS
    )
    db.session.commit()
    assert (outcome.queued, outcome.without_email) == (2, 1)
    assert {r.recipient for r in _rows()} == {
        people["zainab"].email,
        people["aiman"].email,
    }
    waiting = RegistrantFilter(statuses=("waitlisted", "pending"))
    send_bulk_message(reg_event, waiting, organiser, now=now, **NEWS)
    db.session.commit()
    assert len(_rows()) == 4
    assert people["cancelled"].email not in {r.recipient for r in _rows()}


def test_the_preview_is_the_text_that_is_sent(
    app, reg_event, people, organiser, now, request
):
    sink = request.getfixturevalue("smtp_sink")
    request.getfixturevalue("use_smtp")(sink.port)
    preview = preview_message(reg_event, RegistrantFilter(), organiser, **NEWS)
    # The first by name, whatever the case of its first letter.
    assert preview.registration.id == people["aiman"].id
    assert _rows() == []  # a preview queues nothing
    chosen = preview_message(
        reg_event,
        RegistrantFilter(),
        organiser,
        registration_id=people["zainab"].id,
        **NEWS,
    )
    assert chosen.registration.id == people["zainab"].id
    # Someone outside the recipients is not previewed: the first instead.
    other = preview_message(
        reg_event,
        RegistrantFilter(),
        organiser,
        registration_id=people["waiting"].id,
        **NEWS,
    )
    assert other.registration.id == people["aiman"].id

    send_bulk_message(reg_event, RegistrantFilter(), organiser, now=now, **NEWS)
    db.session.commit()
    deliver_outbox(now=now + timedelta(minutes=1))
    [sent] = [
        r.message
        for r in sink.handler.received
        if r.rcpt_tos == [people["zainab"].email]
    ]
    assert str(sent["Subject"]) == chosen.subject
    # The same text, but for the wire's CRLF line ends.
    assert _lf(sent.get_body(("plain",)).get_content()) == chosen.text
    # (set_content ends a part with a line break.)
    assert _lf(sent.get_body(("html",)).get_content()).rstrip() == chosen.html.rstrip()


def test_nobody_to_preview_for(reg_event, organiser, make_registration):
    make_registration(reg_event, status="waitlisted")
    assert preview_message(reg_event, RegistrantFilter(), organiser, **NEWS) is None


def test_a_test_goes_to_the_organiser_alone(reg_event, people, organiser, now):
    row = send_test_message(reg_event, organiser, now=now, **NEWS)
    db.session.commit()
    [only] = _rows()
    assert only.id == row.id
    assert only.recipient == organiser.email
    assert only.subject == TEST_SUBJECT_PREFIX + NEWS["subject"]
    assert only.dedup_key.startswith(TEST_SEND_PREFIX)
    assert only.registration_id is None and only.event_id == reg_event.id
    assert NEWS["body"] in only.body_text


def test_tests_are_limited(reg_event, organiser, now):
    for _ in range(TEST_SEND_LIMIT):
        send_test_message(reg_event, organiser, now=now, **NEWS)
    with pytest.raises(Exception, match="test emails"):
        send_test_message(reg_event, organiser, now=now, **NEWS)


# -- the page ------------------------------------------------------------------


def _url(event) -> str:
    return f"/manage/events/{event.slug}/registrations/message"


def _checked(html: str) -> set[str]:
    return set(re.findall(r'name="statuses" id="[^"]+" value="(\w+)" checked', html))


def test_the_page_counts_each_status_and_ticks_the_confirmed(
    client, login, organiser, reg_event, people
):
    login(organiser)
    html = client.get(_url(reg_event)).get_data(as_text=True)
    assert _checked(html) == {"confirmed"}
    assert "This message goes to 2 people." in html
    confirmed = re.search(r'<li data-status="confirmed">(.*?)</li>', html, re.S)[1]
    assert "2 people" in confirmed and "1 without an email address" in confirmed
    # The list's status filter ticks that status instead.
    html = client.get(_url(reg_event) + "?status=waitlisted").get_data(as_text=True)
    assert _checked(html) == {"waitlisted"}


def test_review_then_send_through_the_page(client, login, organiser, reg_event, people):
    login(organiser)
    typed = {"statuses": ["confirmed", "waitlisted"], **NEWS}
    review = client.post(_url(reg_event), data=typed)
    assert review.status_code == 200
    html = review.get_data(as_text=True)
    assert "This emails 3 people." in html and 'name="send"' in html
    assert "The message exactly as aiman Rahman" in html
    assert "srcdoc=" in html and "Please read them first." in html
    assert "'unsafe-hashes'" in review.headers["Content-Security-Policy"]
    assert _rows() == []
    # Another recipient chosen for the preview.
    waiting = people["waiting"]
    again = client.post(_url(reg_event), data={**typed, "preview_for": waiting.id})
    assert f"The message exactly as {waiting.full_name}" in again.get_data(as_text=True)
    assert _rows() == []

    assert 'name="recipients_shown" value="3"' in html
    sent = client.post(
        _url(reg_event), data={**typed, "send": "1", "recipients_shown": "3"}
    )
    assert sent.status_code == 302
    assert sorted(r.recipient for r in _rows()) == sorted(
        people[k].email for k in ("zainab", "aiman", "waiting")
    )


def test_a_send_after_the_recipients_changed_is_refused(
    client, login, organiser, reg_event, people, make_registration
):
    login(organiser)
    typed = {"statuses": ["confirmed"], **NEWS}
    review = client.post(_url(reg_event), data=typed).get_data(as_text=True)
    assert 'name="recipients_shown" value="2"' in review
    make_registration(reg_event)  # a newcomer between the preview and the send
    refused = client.post(
        _url(reg_event), data={**typed, "send": "1", "recipients_shown": "2"}
    )
    assert refused.status_code == 422
    assert "The recipients changed since your preview" in refused.text
    assert _rows() == []


def test_a_test_through_the_page_reaches_the_organiser_only(
    client, login, organiser, reg_event, people
):
    login(organiser)
    response = client.post(
        _url(reg_event), data={"statuses": "confirmed", "test": "1", **NEWS}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"A test is on its way to {organiser.email}" in html
    assert NEWS["body"] in html  # what was typed is still there
    [row] = _rows()
    assert (row.recipient, row.subject) == (
        organiser.email,
        TEST_SUBJECT_PREFIX + NEWS["subject"],
    )


def test_no_status_chosen_is_said_next_to_the_choice(
    client, login, organiser, reg_event, people
):
    login(organiser)
    response = client.post(_url(reg_event), data={**NEWS, "send": "1"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="statuses-error"' in html and "Choose at least one status." in html
    assert NEWS["body"] in html
    assert _rows() == []


# -- from the pages alone ------------------------------------------------------


def _register(app, slug: str, name: str, email: str) -> None:
    response = app.test_client().post(
        f"/events/{slug}/register",
        data={"full_name": name, "email": email, "country": "MY",
              "timezone": "Asia/Kuala_Lumpur", "type_key": "civil_society",
              "role": "attendee", "consent_privacy": "y", "language": "en"},
    )  # fmt: skip
    assert response.status_code == 200, response.get_data(as_text=True)


def test_an_organiser_checks_tests_and_sends_from_the_pages(
    app, client, organiser, login, now, request
):
    sink = request.getfixturevalue("smtp_sink")
    request.getfixturevalue("use_smtp")(sink.port)
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Bandar Kitaran", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "1"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    saved = client.post(
        f"/manage/events/{slug}/email-sender",
        data={"sender_name": "Petaling Jaya City Council via Consult",
              "reply_to": "events@mbpj.example.my"},
    )  # fmt: skip
    assert saved.status_code == 302
    _register(app, slug, "Siti Aminah", "siti@example.my")  # the one seat
    _register(app, slug, "Kim Minji", "minji@example.kr")  # waiting list
    deliver_outbox(now=now + timedelta(minutes=1))  # their registration emails
    confirmation = next(
        r.message for r in sink.handler.received if r.rcpt_tos == ["siti@example.my"]
    )
    assert confirmation["From"].addresses[0].display_name == (
        "Petaling Jaya City Council via Consult"
    )
    assert str(confirmation["Reply-To"]) == "events@mbpj.example.my"
    sink.handler.received.clear()

    page = f"/manage/events/{slug}/registrations/message"
    html = client.get(page).get_data(as_text=True)
    assert "This message goes to 1 person." in html
    assert "Petaling Jaya City Council via Consult" in html
    review = client.post(page, data={"statuses": "confirmed", **NEWS})
    assert "This emails 1 person." in review.get_data(as_text=True)
    client.post(page, data={"statuses": "confirmed", "test": "1", **NEWS})
    deliver_outbox(now=now + timedelta(minutes=2))
    [test] = [r.message for r in sink.handler.received]
    assert test["To"].addresses[0].addr_spec == organiser.email
    assert str(test["Subject"]) == TEST_SUBJECT_PREFIX + NEWS["subject"]

    sent = client.post(page, data={"statuses": "confirmed", "send": "1", **NEWS})
    assert sent.status_code == 302
    deliver_outbox(now=now + timedelta(minutes=3))
    arrived = {r.rcpt_tos[0]: r.message for r in sink.handler.received[1:]}
    assert set(arrived) == {"siti@example.my"}  # not the waiting list
    message = arrived["siti@example.my"]
    assert str(message["Reply-To"]) == "events@mbpj.example.my"
    assert message["From"].addresses[0].display_name == (
        "Petaling Jaya City Council via Consult"
    )
