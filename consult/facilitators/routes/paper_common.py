"""The paper pages exist twice: for an event's facilitators under
/facilitate/<slug>/paper and for its organisers under
/manage/events/<slug>/paper (each side with its own access, as the access
matrix expects). ``paper_route`` registers one view on both sides."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask_login import login_required

from consult.events.access import managed_event_or_404
from consult.facilitators import bp
from consult.facilitators.routes.facilitator import _facilitated_event_or_404


@dataclass(frozen=True)
class Side:
    name: str  # "facilitate" or "manage"
    prefix: str  # endpoint prefix: url_for(side.prefix + "enter", slug=...)

    @property
    def is_facilitator(self) -> bool:
        return self.name == "facilitate"


SIDES = (
    (Side("facilitate", "facilitators.paper_"), "/facilitate/<slug>/paper",
     _facilitated_event_or_404),
    (Side("manage", "facilitators.manage_paper_"), "/manage/events/<slug>/paper",
     managed_event_or_404),
)  # fmt: skip


def paper_route(name: str, path: str, methods=("GET",)):
    """Register ``view(event, side)`` as <side>paper_<name> on both sides."""

    def register(view):
        for side, base, load in SIDES:

            def endpoint(slug: str, _side=side, _load=load):
                return view(_load(slug), _side)

            wrapped = login_required(wraps(view)(endpoint))
            bp.add_url_rule(
                base + path,
                endpoint=side.prefix.split(".", 1)[1] + name,
                view_func=wrapped,
                methods=list(methods),
            )
        return view

    return register
