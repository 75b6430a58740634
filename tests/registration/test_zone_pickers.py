"""Time-zone pickers: canonical names, likely zones first, type to filter.

The IANA database keeps old names (Asia/Calcutta, Europe/Kiev) as links; the
pickers offer only canonical ones, while an alias that was stored or that a
browser reports is still read, as the zone it names.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration
from consult.timeutil import common_timezones, is_valid_timezone
from consult.zones import LIKELY, canonical_zone, canonical_zones, zones_in_order
from tests.registration.test_public_pages import form, manage_url


def datalist(page: str, list_id: str) -> list[str]:
    match = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', page, re.S)
    assert match, f"no datalist {list_id}"
    return re.findall(r'<option value="([^"]+)">', match.group(1))


def test_only_canonical_names_are_offered():
    zones = set(canonical_zones())
    assert 400 <= len(zones) <= 450  # not the ~600 names of every alias
    assert {"Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/Kyiv", "UTC"} <= zones
    assert not {"Asia/Calcutta", "Europe/Kiev", "US/Eastern", "EST5EDT"} & zones
    assert set(common_timezones()) == zones


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("US/Eastern", "America/New_York"),
        ("asia/kuala lumpur", "Asia/Kuala_Lumpur"),
        ("Berlin", "Europe/Berlin"),
        ("Etc/UTC", "UTC"),
        ("Asia/Kuala_Lumpur", "Asia/Kuala_Lumpur"),
        ("Mars/Olympus", None),
    ],
)
def test_aliases_and_cities_read_as_their_canonical_zone(typed, zone):
    assert canonical_zone(typed) == zone


def test_the_page_zone_then_the_case_zones_then_the_rest():
    order = zones_in_order(("Europe/Kiev",))
    assert order[0] == "Europe/Kyiv"
    assert order[1 : len(LIKELY) + 1] == LIKELY
    rest = order[len(LIKELY) + 1 :]
    assert list(rest) == sorted(rest) and len(order) == len(set(order))


def test_register_form_offers_a_filterable_list_with_the_event_zone_first(
    client, reg_event
):
    page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    assert re.search(r'<input[^>]*list="timezone-zones"[^>]*name="timezone"', page)
    assert 'value="Asia/Kuala_Lumpur"' in page  # the event's zone as default
    options = datalist(page, "timezone-zones")
    assert options[:3] == ["Asia/Kuala_Lumpur", "Europe/Amsterdam", "Europe/Berlin"]
    assert "Asia/Calcutta" not in options and "Asia/Kolkata" in options


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Asia/Calcutta", "Asia/Kolkata"), ("Berlin", "Europe/Berlin")],
)
def test_a_typed_alias_or_city_is_stored_as_the_canonical_zone(
    client, reg_event, typed, stored
):
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(timezone=typed)
    )
    assert response.status_code == 200
    reg = db.session.scalar(select(Registration))
    assert reg.timezone == stored


def test_an_unknown_zone_is_refused_next_to_the_field(client, reg_event):
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(timezone="Mars/Olympus")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="timezone-error"' in page and "Choose a time zone from the list" in page
    assert db.session.scalar(select(Registration)) is None


def test_a_stored_alias_still_shows_and_saves(client, reg_event, make_registration):
    reg = make_registration(
        reg_event, email="ravi@example.in", timezone="Asia/Calcutta"
    )
    assert not is_valid_timezone("Asia/Calcutta")
    page = client.get(manage_url(reg)).get_data(as_text=True)
    assert re.search(r'name="timezone"[^>]*value="Asia/Kolkata"', page) or re.search(
        r'value="Asia/Kolkata"[^>]*name="timezone"', page
    )
    details = {
        "full_name": reg.full_name,
        "country": "IN",
        "timezone": "Asia/Calcutta",
    }
    assert client.post(manage_url(reg) + "/details", data=details).status_code == 302
    db.session.refresh(reg)
    assert reg.timezone == "Asia/Kolkata"
