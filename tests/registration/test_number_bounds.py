"""A stakeholder type's cap and target share, the bulk ids and the list's
query values: numbers out of range are refused or ignored, never a 500."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.numbers import MAX_SEATS
from consult.registration.services.settings import (
    StakeholderTypeData,
    update_stakeholder_type,
)
from tests.registration.confirming import confirm_bulk


def _type_url(event, kind):
    return f"/manage/events/{event.slug}/registration-settings/types/{kind.id}"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("cap", "99999999999", "Enter a whole number from 0 to 1,000,000."),
        ("cap", str(2**64), "Enter a whole number from 0 to 1,000,000."),
        ("target_share", str(2**31), "Enter a whole number from 0 to 100."),
    ],
)
def test_a_type_s_huge_cap_or_share_is_refused_next_to_the_field(
    client, login, organiser, reg_event, stype, field, typed, message
):
    kind = stype(reg_event, "private")
    before = (kind.label, kind.cap, kind.target_share)
    login(organiser)
    data = {"label": "Business", "target_share": "0", "cap": "5", field: typed}
    response = client.post(_type_url(reg_event, kind), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html.split(f'id="{field}-error"', 1)[1].split("</small>", 1)[0]
    assert message in error
    db.session.expire_all()
    assert (kind.label, kind.cap, kind.target_share) == before


def test_the_service_refuses_a_cap_beyond_the_most_seats(
    organiser, reg_event, stype, now
):
    kind = stype(reg_event, "private")
    with pytest.raises(ValidationFailed) as refused:
        update_stakeholder_type(
            reg_event,
            kind.id,
            organiser,
            StakeholderTypeData(label="Business", cap=MAX_SEATS + 1),
            now=now,
        )
    assert refused.value.field == "cap"


@pytest.mark.parametrize("bad", [str(2**31), str(2**63), "-4", "²", "x"])
def test_the_list_ignores_out_of_range_query_values(
    client, login, organiser, reg_event, make_registration, bad
):
    person = make_registration(reg_event, type_key="private")
    login(organiser)
    response = client.get(
        f"/manage/events/{reg_event.slug}/registrations",
        query_string={"page": bad, "type": bad},
    )
    assert response.status_code == 200
    assert person.full_name in response.get_data(as_text=True)  # page 1, unfiltered


@pytest.mark.parametrize("bad", [str(2**31), str(2**63), "²", "١"])
def test_bulk_decisions_ignore_ids_out_of_range(
    client, login, organiser, reg_event, make_registration, bad
):
    waiting = make_registration(reg_event, type_key="private", status="pending")
    login(organiser)
    response = confirm_bulk(
        client,
        f"/manage/events/{reg_event.slug}/registrations/bulk",
        {"ids": [bad, str(waiting.id)], "decision": "approve"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.status == "confirmed"  # the real id decided, the other ignored
