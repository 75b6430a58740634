"""register(): window, duplicates, statuses, questions, consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.errors import Conflict, ValidationFailed
from consult.extensions import db
from consult.registration.models import RegistrationQuestion
from consult.registration.services import RegistrationData, register

JOIN = "zoom.example.org/j/987654321"


def data(**overrides) -> RegistrationData:
    values = dict(
        full_name="Siti Aminah",
        email="Siti@Example.org ",
        organisation="Selangor State EXCO",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )
    values.update(overrides)
    return RegistrationData(**values)


def test_confirmed_registration_stores_consent_and_mails_join_link(
    reg_event, now, outbox
):
    result = register(reg_event, data(), now=now)
    db.session.commit()
    reg = result.registration
    assert result.created and result.status == "confirmed"
    assert reg.email == "siti@example.org"
    assert reg.privacy_notice_version == "1" and reg.privacy_consented_at == now
    assert reg_event.confirmed_count == 1
    [mail] = outbox()
    assert mail.dedup_key == f"registration:{reg.id}:confirmed"
    assert JOIN in mail.body_text and JOIN in mail.body_html
    assert "/registration/" in mail.body_text
    # Times in the event's zone only (the registrant is in it too).
    assert "Kuala Lumpur time (UTC+8)" in mail.body_text


def test_duplicate_email_resends_link_without_a_new_row(reg_event, now, outbox):
    first = register(reg_event, data(), now=now)
    again = register(reg_event, data(email="siti@example.org"), now=now)
    soon = register(reg_event, data(), now=now + timedelta(minutes=2))
    later = register(reg_event, data(), now=now + timedelta(minutes=15))
    db.session.commit()
    assert not again.created and again.registration is first.registration
    assert not soon.created and not later.created
    kinds = [m.dedup_key.split(":")[2] for m in outbox()]
    assert kinds == ["confirmed", "link_resent", "link_resent"]


@pytest.mark.parametrize(
    "overrides, status",
    [({"role": "expert"}, "pending"), ({}, "waitlisted")],
)
def test_expert_pending_and_full_waitlisted(
    make_reg_event, make_registration, now, outbox, overrides, status
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    result = register(event, data(**overrides), now=now)
    db.session.commit()
    assert result.status == status
    assert JOIN not in outbox()[-1].body_text
    assert JOIN not in outbox()[-1].body_html


def test_requires_approval_makes_everyone_pending(make_reg_event, now):
    event = make_reg_event(requires_approval=True)
    assert register(event, data(), now=now).status == "pending"


def test_full_without_waitlist_is_refused(make_reg_event, make_registration, now):
    event = make_reg_event(capacity=1, waitlist_enabled=False)
    make_registration(event)
    with pytest.raises(Conflict, match="full"):
        register(event, data(), now=now)


@pytest.mark.parametrize("when", ["before", "after", "draft"])
def test_window_closed_is_refused(make_reg_event, now, when):
    fields = {"publish": when != "draft"}
    if when == "before":
        fields["registration_opens_at"] = now + timedelta(hours=1)
    if when == "after":
        fields["registration_closes_at"] = now - timedelta(hours=1)
        fields["registration_opens_at"] = now - timedelta(days=2)
    event = make_reg_event(**fields)
    with pytest.raises(Conflict, match="not open"):
        register(event, data(), now=now)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent_privacy": False}, "consent_privacy"),
        ({"email": "not-an-email"}, "email"),
        ({"country": "XX"}, "country"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"type_key": "aliens"}, "type_key"),
        ({"full_name": "x" * 201}, "full_name"),
    ],
)
def test_invalid_input_names_the_field(reg_event, now, overrides, field):
    with pytest.raises(ValidationFailed) as info:
        register(reg_event, data(**overrides), now=now)
    assert info.value.field == field


def test_type_questions_checked_for_the_chosen_type_only(reg_event, now):
    level = RegistrationQuestion(
        event_id=reg_event.id,
        label="Level of government",
        kind="choice",
        choices=["National", "State", "Local"],
        required=True,
        type_keys=["government"],
    )
    sector = RegistrationQuestion(
        event_id=reg_event.id, label="Sector", required=True, type_keys=["private"]
    )
    db.session.add_all([level, sector])
    db.session.commit()
    with pytest.raises(ValidationFailed) as info:
        register(reg_event, data(), now=now)
    assert info.value.field == f"q_{level.id}"
    with pytest.raises(ValidationFailed):
        register(reg_event, data(answers={str(level.id): "Galactic"}), now=now)
    answers = {str(level.id): "State", str(sector.id): "Waste"}
    reg = register(reg_event, data(answers=answers), now=now).registration
    assert reg.answers == {str(level.id): "State"}


def test_assisted_registration_without_email(reg_event, organiser, now, outbox):
    result = register(
        reg_event,
        data(email="", phone="+60 12 345 6789"),
        now=now,
        assisted_by=organiser,
    )
    db.session.commit()
    assert result.registration.assisted and result.registration.email is None
    assert result.status == "confirmed" and outbox() == []


def test_cancelled_person_may_register_again(reg_event, now, outbox):
    from consult.registration.services import cancel_registration

    reg = register(reg_event, data(), now=now).registration
    cancel_registration(reg, now=now)
    again = register(reg_event, data(), now=now + timedelta(hours=1))
    db.session.commit()
    assert again.created and again.registration.id == reg.id
    assert again.status == "confirmed" and reg_event.confirmed_count == 1
    assert len(outbox()) == 3
