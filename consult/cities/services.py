"""Finding the city an event names, making its record the first time."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from flask import url_for
from sqlalchemy import func, select

from consult.cities.models import City
from consult.extensions import db
from consult.programmes.models import CityPair, Programme

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


def link_partner_cities(event, *, now: datetime) -> None:
    """Point each of the event's partner cities at its city record, made when
    first named (the host city's rule, ``city_for_host``)."""
    for partner in event.partner_cities:
        # A partner city keeps UTC until someone says its zone: the
        # event's own zone is the host's, not the partner's.
        city = city_for_host(partner.name, partner.country, "UTC", now=now)
        partner.city = city
        partner.city_id = None if city is None else city.id


def city_url(city: City) -> str:
    """The path of the city's public page."""
    return url_for("cities.page", city_slug=city.slug)


def partners_of(city: City) -> list[tuple[City, str, object]]:
    """The cities paired with ``city`` in any programme, with the themes of
    their cooperation and the programme: (partner, themes, programme), by
    programme then partner name. A pair counts from either side."""
    pairs = db.session.scalars(
        select(CityPair)
        .join(Programme, Programme.id == CityPair.programme_id)
        .where(
            (CityPair.host_city_id == city.id) | (CityPair.partner_city_id == city.id)
        )
        .order_by(Programme.name, Programme.id, CityPair.id)
    ).all()
    result = []
    for pair in pairs:
        other = pair.partner_city if pair.host_city_id == city.id else pair.host_city
        result.append((other, pair.themes, pair.programme))
    return result
