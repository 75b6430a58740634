"""SMS consent on the forms that register someone else: a facilitator's and
an organiser's assisted registration. With a mobile number and the person's
consent, their confirmation goes by SMS with the short manage link."""

from __future__ import annotations

import pathlib
from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from consult.timeutil import now_utc
from tests.effects import committed
from tests.facilitators.test_pages import PERSON

MOBILE = "+60123456789"


def _sms_rows():
    return list(
        committed().scalars(
            select(OutboundEmail)
            .where(OutboundEmail.channel == "sms")
            .order_by(OutboundEmail.id)
        )
    )


def _person(name):
    return committed().scalar(
        select(Registration).where(Registration.full_name == name)
    )


def test_facilitator_registers_a_person_who_agrees_to_sms_and_the_sms_is_written(
    app, client, login, ch_event, make_facilitator, now
):
    event = ch_event
    login(make_facilitator(event))
    url = f"/facilitate/{event.slug}/register"
    form = client.get(url).get_data(True)
    assert "The person agrees to receive SMS about this event" in form
    assert 'name="consent_sms"' in form

    response = client.post(url, data={**PERSON, "consent_sms": "y"})
    assert response.status_code == 302
    person = _person("Siti Rahmah")
    # The consent instant is the registration's own (the clock runs on while
    # the request is served, so a slow machine may pass a second).
    assert person.phone == MOBILE and person.sms_consented_at == person.created_at
    assert now <= person.sms_consented_at < now + timedelta(minutes=1)
    [sms] = _sms_rows()
    assert (sms.recipient, sms.registration_id, sms.status) == (
        MOBILE,
        person.id,
        "queued",
    )
    assert sms.dedup_key == f"sms:registration:{person.id}:confirmed"

    deliver_outbox(now=now_utc())  # the facilitator's invitation email goes too
    db.session.commit()
    assert [row.status for row in _sms_rows()] == ["sent"]
    [path] = list(pathlib.Path(app.instance_path, "sms").glob("*.txt"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"To: {MOBILE}\n")
    assert "/r/" in text


def test_without_the_box_a_facilitated_person_gets_no_sms(
    client, login, ch_event, make_facilitator
):
    event = ch_event
    login(make_facilitator(event))
    response = client.post(f"/facilitate/{event.slug}/register", data=PERSON)
    assert response.status_code == 302
    person = _person("Siti Rahmah")
    assert person.phone == MOBILE and person.sms_consented_at is None
    assert _sms_rows() == []


def test_consent_without_a_number_is_refused_next_to_the_phone(
    client, login, ch_event, make_facilitator
):
    event = ch_event
    login(make_facilitator(event))
    response = client.post(
        f"/facilitate/{event.slug}/register",
        data={**PERSON, "phone": "", "consent_sms": "y"},
    )
    assert response.status_code == 422
    assert "Give a mobile number to receive SMS" in response.get_data(True)
    assert _person("Siti Rahmah") is None and _sms_rows() == []


def test_organisers_assisted_form_records_sms_consent_and_queues_the_sms(
    client, login, organiser, ch_event, now
):
    event = ch_event
    login(organiser)
    url = f"/manage/events/{event.slug}/registrations/new"
    assert "The person agrees to receive SMS" in client.get(url).get_data(True)
    data = {k: v for k, v in PERSON.items() if k != "channel"}
    response = client.post(url, data={**data, "role": "attendee", "consent_sms": "y"})
    assert response.status_code == 302
    person = _person("Siti Rahmah")
    assert person.assisted and person.sms_consented_at == person.created_at
    assert now <= person.sms_consented_at < now + timedelta(minutes=1)
    [sms] = _sms_rows()
    assert (sms.recipient, sms.registration_id) == (MOBILE, person.id)
    # The organiser is told the person will hear from us: by SMS here.
    page = client.get(response.headers["Location"]).get_data(True)
    assert "We send them the confirmation." in page
    assert "Tell them yourself" not in page


def test_organisers_are_told_to_tell_a_person_we_cannot_reach(
    client, login, organiser, ch_event
):
    login(organiser)
    url = f"/manage/events/{ch_event.slug}/registrations/new"
    data = {k: v for k, v in PERSON.items() if k != "channel"}
    response = client.post(url, data={**data, "role": "attendee"})
    assert response.status_code == 302
    person = _person("Siti Rahmah")
    assert person.sms_consented_at is None and not person.email
    assert _sms_rows() == []
    page = client.get(response.headers["Location"]).get_data(True)
    assert "Tell them yourself: without an email or their consent to SMS" in page
