"""Finding the city an event names, making its record the first time."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import func, select

from consult.cities.models import City
from consult.extensions import db

SLUG_MAX = 120


def city_slug(name: str) -> str:
    """'Petaling Jaya' -> 'petaling-jaya'; ASCII, for the city's public URL."""
    ascii_text = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "city"


def find_city(name: str, country: str) -> City | None:
    """The city of this name (and country, when both say one), or None."""
    name, country = " ".join(name.split()), " ".join(country.split())
    rows = db.session.scalars(
        select(City).where(func.lower(City.name) == name.lower()).order_by(City.id)
    ).all()
    for city in rows:
        if not country or not city.country or city.country.lower() == country.lower():
            return city
    return None


def city_for_host(
    name: str, country: str, timezone: str, *, now: datetime
) -> City | None:
    """The record of an event's host city, made when first named; None for ''.

    Two cities of one name in different countries get different slugs
    ('valencia', 'valencia-venezuela')."""
    name, country = " ".join((name or "").split()), " ".join((country or "").split())
    if not name:
        return None
    city = find_city(name, country)
    if city is not None:
        if not city.country and country:
            city.country = country
        return city
    base = city_slug(name)
    slug, n = base, 1
    taken = set(db.session.scalars(select(City.slug).where(City.slug.like(f"{base}%"))))
    if slug in taken and country:
        slug = f"{base}-{city_slug(country)}"[:SLUG_MAX]
    candidate = slug
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    city = City(
        slug=candidate,
        name=name,
        country=country,
        timezone=timezone or "UTC",
        created_at=now,
    )
    db.session.add(city)
    db.session.flush()
    return city
