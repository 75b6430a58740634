"""Facilitators through the pages: the organiser invites one, the facilitator
chooses a password through the emailed link, registers a person by phone and
records their priorities; the organiser's dashboard counts them.

Reads go through `committed()` (tests/effects.py): only what a route committed.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.passwords import verify_password
from consult.challenges.models import Priority
from consult.challenges.services import event_challenges
from consult.extensions import db
from consult.facilitators.models import EventFacilitator
from consult.facilitators.services import register_person
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.validation import RegistrationData
from tests.auth.helpers import NEW_PASSWORD, logged_in_user_id
from tests.auth.test_reset_pages import reset_path_from
from tests.effects import committed, committed_row

PERSON = {
    "channel": "phone",
    "full_name": "Siti Rahmah",
    "phone": "012 345 6789",
    "email": "",
    "country": "MY",
    "type_key": "informal",
    "timezone": "Asia/Kuala_Lumpur",
    "language": "ms",
    "consent_privacy": "y",
}


def _facilitator_link(event) -> EventFacilitator | None:
    return committed().scalar(
        select(EventFacilitator).where(EventFacilitator.event_id == event.id)
    )


def _invite(client, event, email="field@example.org"):
    return client.post(
        f"/manage/events/{event.slug}/facilitators",
        data={"name": "Field Worker", "email": email, "language": "en"},
    )


def test_invite_password_register_by_phone_and_priorities_are_committed(
    client, login, organiser, ch_event
):
    event = ch_event
    login(organiser)
    page = client.get(f"/manage/events/{event.slug}/facilitators")
    assert page.status_code == 200 and "Invite a facilitator" in page.get_data(True)
    refused = _invite(client, event, email="not an address")
    assert refused.status_code == 422
    assert "not an address" in refused.get_data(True)
    assert _facilitator_link(event) is None
    assert _invite(client, event).status_code == 302
    link = _facilitator_link(event)
    user = committed_row(User, link.user_id)
    assert (user.email, user.role, user.password_hash) == (
        "field@example.org",
        "facilitator",
        None,
    )
    (mail,) = committed().scalars(
        select(OutboundEmail).where(OutboundEmail.recipient == "field@example.org")
    )

    # The facilitator chooses a password through the emailed link.
    client.post("/auth/logout")
    path = reset_path_from(mail)
    chosen = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302
    assert chosen.headers["Location"].endswith("/facilitate/")
    assert verify_password(committed_row(User, user.id).password_hash, NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.id)
    home = client.get("/facilitate/").get_data(True)
    assert event.title in home
    assert "Manage" not in home and "Facilitation" in home

    # Registers a person by phone, without email; a bad submission keeps the input.
    url = f"/facilitate/{event.slug}/register"
    missing = client.post(url, data={**PERSON, "channel": ""})
    assert missing.status_code == 422
    assert "Choose how you reached the person." in missing.get_data(True)
    assert "Siti Rahmah" in missing.get_data(True)
    assert client.post(url, data=PERSON).status_code == 302
    person = committed().scalar(
        select(Registration).where(Registration.facilitated_by_id == user.id)
    )
    assert (person.full_name, person.email, person.phone) == (
        "Siti Rahmah",
        None,
        # Read in the region of the person's country (Malaysia), kept in E.164.
        "+60123456789",
    )
    assert (person.channel, person.status, person.language) == (
        "phone",
        "confirmed",
        "ms",
    )
    assert "Siti Rahmah" in client.get(f"/facilitate/{event.slug}/").get_data(True)

    # Records the person's priorities: the 10 points rule holds.
    ids = [c.id for c in event_challenges(event)]
    url = f"/facilitate/{event.slug}/people/{person.id}/priorities"
    assert client.get(url).status_code == 200
    short = {"channel": "phone", **{f"c-{i}": "3" for i in ids}}
    assert client.post(url, data=short).status_code == 422
    assert committed().scalar(select(Priority.id)) is None
    points = {"channel": "phone", f"c-{ids[0]}": "7", f"c-{ids[1]}": "3"}
    assert client.post(url, data=points).status_code == 302
    rows = committed().scalars(select(Priority).order_by(Priority.challenge_id)).all()
    assert [(r.points, r.facilitated_by_id, r.channel) for r in rows] == [
        (7, user.id, "phone"),
        (3, user.id, "phone"),
        (0, user.id, "phone"),
    ]

    # The organiser's dashboard counts the ballot like any other.
    client.post("/auth/logout")
    login(organiser)
    dashboard = client.get(f"/manage/events/{event.slug}/dashboard").get_data(True)
    assert "1 registrant has prioritised the challenges." in dashboard
    channels = dashboard.split('id="channels-title"')[1].split("</section>")[0]
    assert re.search(r"<th[^>]*>Online</th>\s*<th[^>]*>By phone</th>", channels)
    footer = channels.split("<tfoot>")[1]
    assert re.findall(r"<td>(\d+)</td>", footer) == ["0", "1"]

    # The organiser removes the facilitator: their pages close, their people stay.
    removed = client.post(f"/manage/events/{event.slug}/facilitators/{user.id}/remove")
    assert removed.status_code == 302
    assert _facilitator_link(event) is None
    assert committed_row(Registration, person.id).facilitated_by_id == user.id
    client.post("/auth/logout")
    login(committed_row(User, user.id))
    assert client.get(f"/facilitate/{event.slug}/").status_code == 403


def test_a_closed_window_is_said_on_the_form_and_nothing_is_stored(
    client, login, ch_event, make_facilitator, clock, now
):
    user = make_facilitator(ch_event)
    person = register_person(
        ch_event,
        user,
        RegistrationData(
            full_name="Late Voter",
            country="MY",
            timezone="Asia/Kuala_Lumpur",
            type_key="informal",
            consent_privacy=True,
        ),
        "paper",
        now=now,
    ).registration
    db.session.commit()
    ids = [c.id for c in event_challenges(ch_event)]
    clock.shift(timedelta(days=11))
    login(user)
    response = client.post(
        f"/facilitate/{ch_event.slug}/people/{person.id}/priorities",
        data={"channel": "paper", f"c-{ids[0]}": "10"},
    )
    assert response.status_code == 422
    assert "Prioritisation is closed for this event." in response.get_data(True)
    assert committed().scalar(select(Priority.id)) is None
