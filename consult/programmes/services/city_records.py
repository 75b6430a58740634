"""A city's record as organisers keep it: region, population, representative."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.auth.services import find_user_by_email, normalise_email
from consult.cities.models import City
from consult.errors import PermissionDenied, Problems, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event, PartnerCity
from consult.extensions import db
from consult.programmes.models import CityPair, Programme
from consult.text import clean_text

# More people than any city has: a typo, not a city.
MAX_POPULATION = 100_000_000


def _account(email: str):
    """The active account of ``email`` (the representative field)."""
    try:
        address = normalise_email(email)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.problems[0][1], field="representative") from None
    user = find_user_by_email(address)
    if user is None or not user.is_active:
        raise ValidationFailed(
            _("No active account uses %(email)s.", email=address),
            field="representative",
        )
    return user


def can_edit_city(user, city: City) -> bool:
    """Admins, organisers of an event the city hosts or partners, and
    organisers of a programme pairing it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    if user.is_admin:
        return True
    if not user.can_organise:
        return False
    partner_events = select(PartnerCity.event_id).where(PartnerCity.city_id == city.id)
    events = db.session.scalars(
        select(Event).where(
            or_(Event.host_city_id == city.id, Event.id.in_(partner_events))
        )
    )
    if any(can_manage(user, event) for event in events):
        return True
    programmes = db.session.scalars(
        select(Programme)
        .join(CityPair, CityPair.programme_id == Programme.id)
        .where(
            or_(CityPair.host_city_id == city.id, CityPair.partner_city_id == city.id)
        )
    )
    return any(p.editable_by(user) for p in programmes)


def update_city_record(
    city: City,
    actor,
    *,
    region: str,
    population: int | None,
    representative_email: str,
) -> City:
    """Set the city's region, population and representative account
    (an existing account, by email; '' for none)."""
    if not can_edit_city(actor, city):
        raise PermissionDenied(_("You cannot edit this city."))
    problems = Problems()
    region = problems.take(clean_text, region, "region", max_length=120)
    if population is not None and not 0 <= population <= MAX_POPULATION:
        problems.add(
            _(
                "Give a population between 0 and %(n)s.",
                n=f"{MAX_POPULATION:,}",
            ),
            "population",
        )
    representative = None
    if (representative_email or "").strip():
        representative = problems.take(_account, representative_email)
    problems.raise_any()
    city.region = region
    city.population = population
    city.representative = representative
    city.representative_user_id = None if representative is None else representative.id
    db.session.flush()
    return city
