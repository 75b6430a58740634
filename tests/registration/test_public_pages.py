"""The registration form and the personal manage page over HTTP."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import manage_token

JOIN = "zoom.example.org/j/987654321"


def form(**overrides):
    values = {
        "full_name": "Jan de Vries",
        "email": "jan@example.nl",
        "organisation": "Gemeente Utrecht",
        "country": "NL",
        "timezone": "Europe/Amsterdam",
        "type_key": "government",
        "role": "attendee",
        "consent_privacy": "y",
    }
    values.update(overrides)
    return values


def count():
    return db.session.scalar(select(func.count(Registration.id)))


def manage_url(reg, slug=None):
    return f"/events/{slug or reg.event.slug}/registration/{manage_token(reg)}"


def test_register_page_renders_types_and_csp_safe_markup(client, reg_event):
    page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    assert "Government &amp; public agencies" in page
    assert "Informal sector" in page
    assert "Malaysia" in page and "Belgium" in page
    assert "style=" not in page and "<script>" not in page
    assert 'class="visually-hidden"' in page
    assert "Register" in client.get(f"/events/{reg_event.slug}").get_data(as_text=True)


def test_registering_confirms_and_mails_link_not_shown(client, reg_event, outbox):
    response = client.post(f"/events/{reg_event.slug}/register", data=form())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your seat is confirmed" in page and "emailed your personal link" in page
    assert "/registration/" not in page and JOIN not in page
    [mail] = outbox()
    assert mail.recipient == "jan@example.nl" and JOIN in mail.body_text
    # Times in the registrant's zone as well as the event's.
    assert "Amsterdam time" in mail.body_text and "Kuala Lumpur time" in mail.body_text


def test_registering_twice_says_link_sent_again(client, reg_event, outbox):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    page = client.post(
        f"/events/{reg_event.slug}/register", data=form(email="JAN@example.nl")
    ).get_data(as_text=True)
    assert "already registered" in page and "/registration/" not in page
    assert count() == 1 and len(outbox()) == 2


def test_honeypot_pretends_success_and_stores_nothing(client, reg_event, outbox):
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(website="http://spam")
    )
    assert response.status_code == 200 and "Thank you" in response.get_data(
        as_text=True
    )
    assert count() == 0 and outbox() == []


def test_errors_next_to_fields_keep_typed_values(client, reg_event):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(email="nope", consent_privacy="", full_name="Typed Name"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in page and 'id="consent_privacy-error"' in page
    assert 'value="Typed Name"' in page and count() == 0


def test_full_without_waitlist_says_full(client, make_reg_event, make_registration):
    event = make_reg_event(capacity=1, waitlist_enabled=False)
    make_registration(event)
    response = client.post(f"/events/{event.slug}/register", data=form())
    assert response.status_code == 409
    assert "This event is full" in response.get_data(as_text=True)


def test_closed_window_shows_no_form(client, make_reg_event, now):
    event = make_reg_event(registration_opens_at=None, registration_closes_at=now)
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "not open" in page and '<form method="post" action="/events' not in page
    assert 'href="/events/' + event.slug + '/register"' not in client.get(
        f"/events/{event.slug}"
    ).get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "waitlisted", "rejected", "cancelled"])
def test_join_link_only_for_confirmed(client, reg_event, make_registration, status):
    reg = make_registration(reg_event, status=status)
    page = client.get(manage_url(reg)).get_data(as_text=True)
    assert reg.full_name in page and JOIN not in page
    confirmed = make_registration(reg_event)
    assert JOIN in client.get(manage_url(confirmed)).get_data(as_text=True)


def test_token_opens_only_its_own_registration(
    client, reg_event, make_reg_event, make_registration
):
    reg = make_registration(reg_event)
    other_event = make_reg_event(title="Another webinar")
    assert client.get(manage_url(reg, slug=other_event.slug)).status_code == 404
    assert client.get(manage_url(reg) + "x").status_code == 404
    assert client.get(f"/events/{reg_event.slug}/registration/abc").status_code == 404


def test_manage_details_export_cancel(client, reg_event, make_registration, outbox):
    reg = make_registration(reg_event, email="ana@example.pt")
    url = manage_url(reg)
    details = form(full_name="Ana Silva", country="PT", timezone="Europe/Lisbon")
    assert client.post(url + "/details", data=details).status_code == 302
    db.session.refresh(reg)
    assert reg.full_name == "Ana Silva" and reg.country == "PT"
    response = client.get(url + "/data.json")
    assert "attachment" in response.headers["Content-Disposition"]
    exported = json.loads(response.get_data(as_text=True))
    assert exported["person"]["email"] == "ana@example.pt"
    assert JOIN not in response.get_data(as_text=True)
    assert client.post(url + "/cancel", data={}).status_code == 302
    db.session.refresh(reg)
    assert reg.status == "confirmed"  # not ticked: nothing happens
    client.post(url + "/cancel", data={"confirm": "y"})
    db.session.refresh(reg)
    assert reg.status == "cancelled" and reg_event.confirmed_count == 0
    assert outbox()[-1].dedup_key.startswith(f"registration:{reg.id}:cancelled")


def test_erase_anonymises_and_revokes_the_link(
    client, reg_event, make_registration, now
):
    reg = make_registration(reg_event, email="erase@example.org", city="Ipoh")
    waiting = make_registration(reg_event, status="waitlisted")
    url = manage_url(reg)
    # Before: the page says what erasing does to answers, priorities and inputs.
    manage = client.get(url).get_data(as_text=True)
    assert 'aria-describedby="erase-help"' in manage
    assert "deletes your survey answers, your priorities and your supports" in manage
    assert "Inputs you submitted stay, without your name" in manage
    page = client.post(url + "/erase", data={"confirm": "y"}).get_data(as_text=True)
    assert "erased" in page
    # The page's title is its heading only; what published versions keep is
    # said in the page, with what anonymous survey answers keep.
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Results the organisers published" not in title and "<p>" not in title
    body = page[page.index("<main") :]
    assert "never linked to you" in body
    assert "Results the organisers published before keep their totals" in body
    db.session.expire_all()
    assert reg.full_name == "Erased participant" and reg.email is None
    assert reg.city == "" and reg.answers == {} and reg.erased_at is not None
    assert reg.stakeholder_type.key == "government" and reg.status == "cancelled"
    assert waiting.status == "confirmed"  # the seat went to the waiting list
    assert client.get(url).status_code == 404
