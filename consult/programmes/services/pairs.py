"""City pairs: a host city and its partner cities within a programme."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.cities.services import city_for_host
from consult.errors import NotFound, Problems, ValidationFailed
from consult.extensions import db
from consult.programmes.models import CityPair, Programme
from consult.programmes.services.editing import require_editor
from consult.text import clean_text

MAX_PAIRS = 200


def add_pair(
    programme: Programme,
    actor,
    *,
    host: tuple[str, str],
    partner: tuple[str, str],
    themes: str,
    now: datetime,
) -> CityPair:
    """Pair two cities (name, country) with the themes of their cooperation;
    a city not yet recorded gets its record, as an event naming it would."""
    require_editor(actor, programme)
    problems = Problems()
    host_name = problems.take(
        clean_text, host[0], "host_city", max_length=120, required=True
    )
    host_country = problems.take(clean_text, host[1], "host_country", max_length=120)
    partner_name = problems.take(
        clean_text, partner[0], "partner_city", max_length=120, required=True
    )
    partner_country = problems.take(
        clean_text, partner[1], "partner_country", max_length=120
    )
    themes = problems.take(clean_text, themes, "themes", max_length=500)
    if len(programme.pairs) >= MAX_PAIRS:
        problems.add(_("At most %(n)d city pairs, please.", n=MAX_PAIRS))
    problems.raise_any()
    host_city = city_for_host(host_name, host_country, "UTC", now=now)
    partner_city = city_for_host(partner_name, partner_country, "UTC", now=now)
    if host_city.id == partner_city.id:
        raise ValidationFailed(
            _("A city cannot be its own partner."), field="partner_city"
        )
    if any(
        p.host_city_id == host_city.id and p.partner_city_id == partner_city.id
        for p in programme.pairs
    ):
        raise ValidationFailed(
            _("These two cities are paired already."), field="partner_city"
        )
    pair = CityPair(host_city=host_city, partner_city=partner_city, themes=themes or "")
    programme.pairs.append(pair)
    programme.updated_at = now
    db.session.flush()
    return pair


def remove_pair(programme: Programme, actor, pair_id: int, *, now: datetime):
    """Unpair two cities (their records stay)."""
    require_editor(actor, programme)
    pair = next((p for p in programme.pairs if p.id == pair_id), None)
    if pair is None:
        raise NotFound(_("No such city pair in this programme."))
    programme.pairs.remove(pair)
    programme.updated_at = now
    db.session.flush()
    return programme
