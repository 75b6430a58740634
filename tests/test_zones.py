"""Zone look-ups that need no request: a country's zone, when it has one."""

from __future__ import annotations

import pytest

from consult.zones import country_zone


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("DE", "Europe/Berlin"),  # Busingen keeps Berlin's time
        ("MY", "Asia/Kuala_Lumpur"),  # Kuching keeps Kuala Lumpur's
        ("vn", "Asia/Ho_Chi_Minh"),
        ("AU", None),  # zone.tab lists Lord Howe first
        ("UA", None),  # ... and Simferopol (Moscow time) for Ukraine
        ("ES", None),  # the Canaries are an hour behind Madrid
        ("", None),
        (None, None),
    ],
)
def test_a_country_gives_a_zone_only_when_all_its_zones_agree(country, zone):
    assert country_zone(country) == zone
