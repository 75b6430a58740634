"""The city's calendar: milestones fall due and become overdue on the host
city's own dates, not the server's or a visitor's."""

from __future__ import annotations

from datetime import date, datetime

from consult.cities.models import City
from consult.timeutil import is_valid_timezone, local_date


def city_today(city: City, now: datetime) -> date:
    """Today's date in the city (its zone; UTC if it has no valid one)."""
    zone = city.timezone if is_valid_timezone(city.timezone) else "UTC"
    return local_date(now, zone)
