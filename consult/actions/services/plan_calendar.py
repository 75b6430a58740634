"""The plan's milestones as a calendar file (RFC 5545), for anyone to subscribe.

Each milestone of a published action is an all-day event on its due date
(``DTSTART;VALUE=DATE``; a date on the city's calendar, so no time zone), with
a UID made of its id and the site's host: the same in every download, so a
subscribed calendar updates the milestone instead of adding a second one.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Event as VEvent

from consult.actions.labels import STATUS_LABELS
from consult.actions.models import Action, Milestone
from consult.actions.services.public_plan import (
    public_plan_and_city,
    published_actions,
)
from consult.calendar.ics import new_calendar, uid_domain
from consult.links import external_url


def milestone_uid(milestone: Milestone) -> str:
    return f"action-milestone-{milestone.id}@{uid_domain()}"


def _component(milestone: Milestone, action: Action, url: str, now) -> VEvent:
    component = VEvent()
    component.add("uid", milestone_uid(milestone))
    component.add("dtstamp", now.astimezone(UTC))
    component.add("dtstart", milestone.due_on)
    # An all-day event ends the next day (exclusive); on 31 Dec 9999 there
    # is none, and without DTEND it lasts one day (RFC 5545, 3.6.1).
    with suppress(OverflowError):
        component.add("dtend", milestone.due_on + timedelta(days=1))
    component.add("summary", f"{milestone.title} · {action.title}")
    lines = [
        _("Action: %(title)s", title=action.title),
        _("Status: %(status)s", status=STATUS_LABELS.get(action.status, "")),
    ]
    if milestone.done_on is not None:
        lines.append(_("Done on %(date)s", date=milestone.done_on.isoformat()))
    lines.append(_("Action plan: %(url)s", url=url))
    component.add("description", "\n".join(lines))
    component.add("url", f"{url}#action-{action.id}")
    component.add("transp", "TRANSPARENT")
    component.add("status", "CONFIRMED")
    return component


def plan_calendar(city_slug: str, *, now: datetime) -> tuple[str, bytes]:
    """(file name, bytes) of the milestones of the plan's published actions;
    NotFound when the city is unknown or its plan has none published."""
    city, plan = public_plan_and_city(city_slug)
    url = external_url("actions.public_plan", city_slug=city.slug)
    calendar = new_calendar("PUBLISH")
    calendar.add("x-wr-calname", plan.title)
    calendar.add("x-published-ttl", "PT12H")
    for action in published_actions(plan):
        for milestone in action.milestones:
            calendar.add_component(_component(milestone, action, url, now))
    # No VTIMEZONE to add: every date is a floating calendar date.
    return f"{city.slug}-action-plan.ics", calendar.to_ical()
