"""Who is editing a plan page, and the two doors to the same pages.

Organisers (and admins) sign in and open /manage/cities/<city_slug>/plan...;
the city's representative opens the same pages through their personal link,
under /events/<slug>/city/<token>/plan.... ``plan_route`` registers a view at
both doors; the view gets an ``Editor`` that knows the city, the actor and
how to link to the other pages through the same door.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.actions import bp
from consult.actions.access import can_edit_plan
from consult.actions.models import Action, ActionPlan, Milestone
from consult.actions.services.choices import has_published_plan, plan_of
from consult.cities.models import City
from consult.contributions.routes.helpers import representative_or_404
from consult.extensions import db

ORGANISER = "/manage/cities/<city_slug>/plan"
REPRESENTATIVE = "/events/<slug>/city/<token>/plan"
REP = "rep_"


@dataclass
class Editor:
    city: City
    actor: object
    prefix: str = ""
    args: dict = field(default_factory=dict)
    rep: object = None

    def url(self, name: str, **values) -> str:
        return url_for(f"actions.{self.prefix}{name}", **self.args, **values)

    @property
    def plan(self) -> ActionPlan | None:
        return plan_of(self.city)

    def plan_or_404(self) -> ActionPlan:
        plan = self.plan
        if plan is None:
            abort(404)
        return plan

    def action_or_404(self, action_id: int) -> Action:
        action = db.session.get(Action, action_id)
        if action is None or action.plan.city_id != self.city.id:
            abort(404)
        return action

    def milestone_or_404(self, action: Action, milestone_id: int) -> Milestone:
        milestone = db.session.get(Milestone, milestone_id)
        if milestone is None or milestone.action_id != action.id:
            abort(404)
        return milestone


def organiser_editor(city_slug: str) -> Editor:
    """The signed-in editor of a city's plan; 404 for a city whose plan shows
    nothing in public (its existence stays private), else 403."""
    city = db.session.scalar(select(City).where(City.slug == city_slug))
    if city is None:
        abort(404)
    if not can_edit_plan(current_user, city):
        abort(403 if has_published_plan(city) else 404)
    return Editor(city, current_user, "", {"city_slug": city.slug})


def representative_editor(slug: str, token: str) -> Editor:
    """The city's representative, through their personal link (a revoked
    link opens nothing)."""
    rep = representative_or_404(slug, token)
    city = rep.event.city
    if city is None or not can_edit_plan(rep, city):
        abort(404)
    return Editor(city, rep, REP, {"slug": slug, "token": token}, rep=rep)


def plan_route(rule: str, name: str, view, methods=("GET",)) -> None:
    """Register ``view(editor, **ids)`` for organisers and the representative."""

    @login_required
    def as_organiser(city_slug: str, **ids):
        return view(organiser_editor(city_slug), **ids)

    def as_representative(slug: str, token: str, **ids):
        return view(representative_editor(slug, token), **ids)

    as_organiser.__name__ = f"organiser_{name}"
    as_representative.__name__ = f"representative_{name}"
    bp.add_url_rule(ORGANISER + rule, name, as_organiser, methods=list(methods))
    bp.add_url_rule(
        REPRESENTATIVE + rule, REP + name, as_representative, methods=list(methods)
    )
