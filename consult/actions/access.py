"""Who may edit a city's action plan, and who reports on an action.

Editors: admins, the organisers of any event the city hosts (``can_manage``
on one of ``hosted_events``), and the city's representative of such an event
through their personal link (a ``CityRepresentative`` row, not an account).
An action's owner posts updates through their own personal link only.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from consult.cities.models import City
from consult.contributions.models import CityRepresentative
from consult.errors import PermissionDenied
from consult.events.access import can_manage
from consult.events.models import Event
from consult.extensions import db


def hosted_events(city: City) -> list[Event]:
    """The events the city hosts, newest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.host_city_id == city.id)
            .order_by(Event.start_at.desc(), Event.id.desc())
        )
    )


def is_representative_of(rep: CityRepresentative, city: City) -> bool:
    return (
        rep.revoked_at is None
        and rep.event is not None
        and rep.event.host_city_id == city.id
    )


def can_edit_plan(actor, city: City) -> bool:
    """True for admins, organisers of an event the city hosts, and the
    city's (unrevoked) representative."""
    if isinstance(actor, CityRepresentative):
        return is_representative_of(actor, city)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    if actor.is_admin:
        return True
    return any(can_manage(actor, event) for event in hosted_events(city))


def require_plan_editor(actor, city: City) -> None:
    """The services' check: PermissionDenied unless ``actor`` may edit."""
    if not can_edit_plan(actor, city):
        raise PermissionDenied(_("You cannot edit this city's action plan."))


def actor_name(actor) -> str:
    """How an editor is named on what they post."""
    if isinstance(actor, CityRepresentative):
        return actor.name
    return getattr(actor, "display_name", "") or getattr(actor, "email", "")
