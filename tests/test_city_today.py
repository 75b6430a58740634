from datetime import UTC, datetime

from consult.actions.services.dates import city_today
from consult.cities.models import City


def test_the_city_date_turns_at_its_own_midnight():
    city = City(
        slug="petaling-jaya", name="Petaling Jaya", timezone="Asia/Kuala_Lumpur"
    )
    # 16:30 UTC is 00:30 the next day in Kuala Lumpur (UTC+8).
    late = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    assert city_today(city, late).isoformat() == "2026-11-25"
    early = datetime(2026, 11, 24, 15, 59, tzinfo=UTC)
    assert city_today(city, early).isoformat() == "2026-11-24"


def test_a_city_without_a_valid_zone_uses_utc():
    city = City(slug="x", name="X", timezone="Not/AZone")
    moment = datetime(2026, 11, 24, 23, 59, tzinfo=UTC)
    assert city_today(city, moment).isoformat() == "2026-11-24"
