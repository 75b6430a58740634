"""Dial-in numbers from the organiser's edit form to the people who may call:
confirmed people see them (their own country's number first) on their manage
page and in their confirmation; the waiting list and the public never do."""

from __future__ import annotations

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import manage_token
from tests.events.test_manage_pages import FORM, _error_for
from tests.registration.test_public_pages import form as registration_form

NUMBERS = "GB, +44 20 7946 0000, toll-free\nMY, 03-2123 4567"
CODE = "812 3456 7890#"


def _event() -> Event:
    db.session.expire_all()
    return db.session.scalar(select(Event))


def _person(email) -> Registration:
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def _manage_page(client, person) -> str:
    path = f"/events/{person.event.slug}/registration/{manage_token(person)}"
    return client.get(path).get_data(as_text=True)


def _confirmation(outbox, person, kind):
    key = f"registration:{person.id}:{kind}"
    return next(e for e in outbox() if e.dedup_key == key)


def _organiser_sets_up_an_event_with_one_seat(client, login, organiser) -> Event:
    login(organiser)
    client.post("/manage/events/new", data={**FORM, "capacity": "1"})
    slug = _event().slug
    client.post(f"/manage/events/{slug}/publish")
    edit = client.post(
        f"/manage/events/{slug}/edit",
        data={
            **FORM,
            "slug": slug,
            "capacity": "1",
            "dial_in_numbers": NUMBERS,
            "dial_in_code": CODE,
        },
        follow_redirects=True,
    )
    assert edit.status_code == 200, edit.text
    return _event()


def test_the_organiser_adds_numbers_and_only_the_confirmed_person_sees_them(
    client, login, organiser, outbox
):
    event = _organiser_sets_up_an_event_with_one_seat(client, login, organiser)

    assert event.dial_in_numbers == [
        {"country": "GB", "number": "+442079460000", "label": "toll-free"},
        {"country": "MY", "number": "+60321234567", "label": ""},
    ]
    assert event.dial_in_code == CODE
    overview = client.get(f"/manage/events/{event.slug}/").get_data(as_text=True)
    assert '<a href="tel:+60321234567">+60 3-2123 4567</a>' in overview
    edit_page = client.get(f"/manage/events/{event.slug}/edit").get_data(as_text=True)
    assert "GB, +44 20 7946 0000, toll-free\nMY, +60 3-2123 4567</textarea>" in (
        edit_page
    )
    assert client.post("/auth/logout").status_code == 302

    for email, name in (("siti@example.my", "Siti Aminah"), ("ana@example.pt", "Ana")):
        response = client.post(
            f"/events/{event.slug}/register",
            data=registration_form(
                email=email, full_name=name, country="MY", timezone="Asia/Kuala_Lumpur"
            ),
        )
        assert response.status_code == 200, response.text
    siti, ana = _person("siti@example.my"), _person("ana@example.pt")
    assert (siti.status, ana.status) == ("confirmed", "waitlisted")

    # Siti, confirmed in Malaysia: Malaysia's number first, as tel: links.
    page = _manage_page(client, siti)
    assert page.index('href="tel:+60321234567"') < page.index(
        'href="tel:+442079460000"'
    )
    assert ">+44 20 7946 0000</a>" in page and "United Kingdom (toll-free)" in page
    assert f"Access code: {CODE}" in page
    email = _confirmation(outbox, siti, "confirmed")
    text = email.body_text
    assert "Or join by phone:" in text
    assert text.index("Malaysia: +60 3-2123 4567") < text.index(
        "United Kingdom (toll-free): +44 20 7946 0000"
    )
    assert f"Access code: {CODE}" in text
    html = email.body_html
    assert '<a href="tel:+60321234567">+60 3-2123 4567</a>' in html
    assert html.index("tel:+60321234567") < html.index("tel:+442079460000")

    # Ana waits for a seat: no numbers, no code, anywhere she looks.
    waiting = _confirmation(outbox, ana, "waitlisted")
    for shown in (_manage_page(client, ana), waiting.body_text, waiting.body_html):
        assert "7946" not in shown and "2123" not in shown
        assert "3456 7890" not in shown and "Or join by phone:" not in shown
    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "7946" not in public and "3456 7890" not in public


def test_a_wrong_line_is_named_next_to_the_field_and_nothing_is_lost(
    client, login, organiser
):
    login(organiser)
    client.post("/manage/events/new", data=FORM)
    event = _event()
    typed = "GB, +44 20 7946 0000\nMY, +44 20 7946 0001, toll-free"
    data = {**FORM, "slug": event.slug, "dial_in_numbers": typed}

    response = client.post(f"/manage/events/{event.slug}/edit", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2:" in _error_for(html, "dial_in_numbers")
    assert "is not a number in Malaysia" in _error_for(html, "dial_in_numbers")
    assert f"{typed}</textarea>" in html
    assert _event().dial_in_numbers == []

    bad_code = client.post(
        f"/manage/events/{event.slug}/edit",
        data={
            **FORM,
            "slug": event.slug,
            "dial_in_numbers": "",
            "dial_in_code": "12ab",
        },
    )
    page = bad_code.get_data(as_text=True)
    assert bad_code.status_code == 422
    assert "digits, # and *" in _error_for(page, "dial_in_code")
    assert 'value="12ab"' in page
    assert _event().dial_in_code == ""
