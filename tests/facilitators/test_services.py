"""Facilitators at the service level: invitation, registration on behalf,
priorities on behalf, and what they may reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.auth.services import (
    check_reset_token,
    make_invitation_token,
    make_reset_token,
    reset_password,
)
from consult.challenges.models import Priority
from consult.challenges.services import event_challenges, priority_results
from consult.dashboard.services.queries import participation_by_channel
from consult.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.facilitators.models import EventFacilitator
from consult.facilitators.services import (
    facilitated_people,
    facilitated_person,
    facilitates,
    invite_facilitator,
    record_priorities,
    register_person,
    remove_facilitator,
)
from consult.notifications.models import OutboundEmail
from consult.registration.services.register import register
from consult.registration.services.validation import RegistrationData


def _person(name="Aminah binti Yusof", **fields) -> RegistrationData:
    values = {
        "full_name": name,
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "type_key": "informal",
        "consent_privacy": True,
        **fields,
    }
    return RegistrationData(**values)


def _points(event, *numbers):
    return {c.id: n for c, n in zip(event_challenges(event), numbers, strict=True)}


def test_invitation_creates_a_passwordless_account_and_mails_a_link(
    reg_event, organiser, now
):
    invitation = invite_facilitator(
        reg_event, organiser, " Field@Example.org ", "Field Worker", now=now
    )
    db.session.commit()
    user = invitation.link.user
    assert invitation.created
    assert (user.email, user.role, user.password_hash) == (
        "field@example.org",
        "facilitator",
        None,
    )
    assert facilitates(user, reg_event)
    mail = db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.recipient == user.email)
    )
    assert mail.subject == "You are a facilitator of Designing Circular Cities"
    assert "http://consult.test/auth/reset/" in mail.body_text
    assert "within 7 days" in mail.body_text


def test_an_existing_facilitator_account_is_reused_and_others_refused(
    make_reg_event, reg_event, organiser, now, make_facilitator
):
    user = make_facilitator(reg_event)
    second = make_reg_event(title="Second consultation")
    again = invite_facilitator(second, organiser, user.email, "Ignored", now=now)
    assert not again.created and again.link.user_id == user.id
    assert again.link.user.name == "Field Worker"
    with pytest.raises(ValidationFailed) as same:
        invite_facilitator(reg_event, organiser, user.email, "x", now=now)
    assert same.value.field == "email"
    with pytest.raises(ValidationFailed) as organiser_account:
        invite_facilitator(reg_event, organiser, organiser.email, "x", now=now)
    assert "another kind" in organiser_account.value.message


def test_only_the_events_managers_invite_and_remove(
    reg_event, organiser, other_organiser, now, make_facilitator
):
    with pytest.raises(PermissionDenied):
        invite_facilitator(reg_event, other_organiser, "a@example.org", "A", now=now)
    user = make_facilitator(reg_event)
    with pytest.raises(PermissionDenied):
        remove_facilitator(reg_event, other_organiser, user.id, now=now)
    remove_facilitator(reg_event, organiser, user.id, now=now)
    db.session.commit()
    assert not facilitates(user, reg_event)
    assert db.session.scalar(select(EventFacilitator.id)) is None
    with pytest.raises(NotFound):
        remove_facilitator(reg_event, organiser, user.id, now=now)


def test_a_facilitator_registers_a_person_without_email_or_phone(
    reg_event, now, make_facilitator
):
    user = make_facilitator(reg_event)
    result = register_person(reg_event, user, _person(), "in_person", now=now)
    db.session.commit()
    person = result.registration
    assert (person.email, person.phone, person.status) == (None, "", "confirmed")
    assert (person.facilitated_by_id, person.channel, person.created_at) == (
        user.id,
        "in_person",
        now,
    )
    assert person.assisted and person.assisted_by_id == user.id
    assert person.role == "attendee"
    assert facilitated_people(reg_event, user) == [person]


def test_bad_channel_and_taken_email_are_refused(
    reg_event, now, make_facilitator, make_registration
):
    user = make_facilitator(reg_event)
    with pytest.raises(ValidationFailed) as bad:
        register_person(reg_event, user, _person(), "carrier_pigeon", now=now)
    assert bad.value.field == "channel"
    taken = make_registration(reg_event, email="taken@example.org")
    with pytest.raises(ValidationFailed) as exists:
        register_person(
            reg_event, user, _person(email="Taken@example.org"), "phone", now=now
        )
    assert exists.value.field == "email"
    assert facilitated_people(reg_event, user) == []
    assert taken.facilitated_by_id is None


def test_facilitators_see_only_their_own_people(
    make_reg_event, reg_event, now, make_facilitator, make_registration
):
    mine = make_facilitator(reg_event)
    theirs = make_facilitator(reg_event, "other@field.example.org", "Other")
    own = register_person(reg_event, mine, _person(), "phone", now=now).registration
    other = register_person(
        reg_event, theirs, _person("Budi"), "paper", now=now
    ).registration
    walk_in = make_registration(reg_event)
    db.session.commit()
    assert facilitated_people(reg_event, mine) == [own]
    assert facilitated_person(reg_event, mine, own.id) == own
    for stranger in (other.id, walk_in.id, 10**9, "1"):
        with pytest.raises(NotFound):
            facilitated_person(reg_event, mine, stranger)
    elsewhere = make_reg_event(title="Another event")
    with pytest.raises(PermissionDenied):
        facilitated_people(elsewhere, mine)
    with pytest.raises(PermissionDenied):
        register_person(elsewhere, mine, _person(), "phone", now=now)


def test_priorities_on_behalf_are_stored_with_who_how_and_when_and_counted(
    ch_event, now, make_facilitator, make_registration, stype
):
    user = make_facilitator(ch_event)
    person = register_person(ch_event, user, _person(), "phone", now=now).registration
    online = make_registration(ch_event, type_key="informal")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        record_priorities(
            ch_event, user, person.id, _points(ch_event, 5, 5, 5), "phone", now=now
        )
    record_priorities(
        ch_event, user, person.id, _points(ch_event, 6, 4, 0), "phone", now=now
    )
    with pytest.raises(NotFound):
        record_priorities(
            ch_event, user, online.id, _points(ch_event, 6, 4, 0), "phone", now=now
        )
    db.session.commit()
    rows = db.session.scalars(
        select(Priority).where(Priority.registration_id == person.id)
    ).all()
    assert {(r.points, r.facilitated_by_id, r.channel, r.updated_at) for r in rows} == {
        (6, user.id, "phone", now),
        (4, user.id, "phone", now),
        (0, user.id, "phone", now),
    }
    results = priority_results(ch_event)
    informal = next(
        r for r in results.by_type if r.type_id == stype(ch_event, "informal").id
    )
    assert (results.ballots, informal.ballots) == (1, 1)
    assert sorted(informal.scores.values()) == [0, 4, 6]


def test_participation_by_channel_counts_participants_per_type(
    reg_event, organiser, now, make_facilitator, make_registration, stype
):
    user = make_facilitator(reg_event)
    make_registration(reg_event, type_key="informal")
    make_registration(reg_event, type_key="informal", status="pending")
    register(
        reg_event,
        _person("By organiser", phone="+60123456780"),
        now=now,
        assisted_by=organiser,
    )
    for name, channel in (("A", "phone"), ("B", "phone"), ("C", "paper")):
        register_person(reg_event, user, _person(name), channel, now=now)
    gone = register_person(reg_event, user, _person("D"), "in_person", now=now)
    gone.registration.status = "cancelled"
    make_registration(reg_event, type_key="research")
    db.session.commit()
    informal, research = (
        stype(reg_event, "informal").id,
        stype(reg_event, "research").id,
    )
    assert participation_by_channel(reg_event) == {
        informal: {"online": 1, "assisted": 1, "phone": 2, "paper": 1},
        research: {"online": 1},
    }


def test_the_invitation_link_lasts_a_week_and_works_once(reg_event, organiser, now):
    user = invite_facilitator(
        reg_event, organiser, "late@example.org", "Late Reader", now=now
    ).link.user
    token = make_invitation_token(user, now=now)
    assert check_reset_token(token, now=now + timedelta(days=6)) == user
    with pytest.raises(DomainError, match="expired"):
        check_reset_token(token, now=now + timedelta(days=8))
    reset_password(token, "plum orchard lantern 42", now=now + timedelta(days=1))
    with pytest.raises(DomainError, match="already been used"):
        check_reset_token(token, now=now + timedelta(days=1))
    # An ordinary reset link still lasts an hour.
    reset = make_reset_token(user, now=now)
    with pytest.raises(DomainError, match="expired"):
        check_reset_token(reset, now=now + timedelta(hours=2))


def test_the_invitation_is_in_the_new_accounts_language(reg_event, organiser, now):
    user = invite_facilitator(
        reg_event, organiser, "siti@example.org", "Siti", language="ms", now=now
    ).link.user
    assert user.language == "ms"
    mail = db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.recipient == user.email)
    )
    assert mail.language == "ms"
    assert mail.subject == "Anda fasilitator bagi Designing Circular Cities"
    assert "Pilih kata laluan anda dahulu" in mail.body_text
    with pytest.raises(ValidationFailed) as unknown:
        invite_facilitator(
            reg_event, organiser, "x@example.org", "X", language="xx", now=now
        )
    assert unknown.value.field == "language"
