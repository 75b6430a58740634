"""Progress updates on an action, by an editor or by its owner's link.

An update is dated on the city's calendar (today by default; never in the
future), carries Markdown text and may set the action's progress and status
(the status before and after are kept). Editors may correct or delete an
update; the owner posts only. The owner may also mark a milestone done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from consult.actions.access import actor_name, require_plan_editor
from consult.actions.models import (
    ACTION_STATUSES,
    LINK_MAX,
    TEXT_MAX,
    Action,
    ActionUpdate,
    Milestone,
)
from consult.actions.services.dates import city_today
from consult.contributions.models import CityRepresentative
from consult.errors import PermissionDenied, Problems, ValidationFailed
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import date_in_range, date_range_message, local_date

# How far before the action was recorded an update may be dated: plans are
# often entered after work began.
BACKDATE_LIMIT = timedelta(days=366)


@dataclass(frozen=True)
class OwnerActor:
    """The owner of one action, acting through their personal link."""

    action: Action

    @property
    def name(self) -> str:
        return self.action.owner_name or self.action.owner_email


@dataclass(frozen=True)
class UpdateData:
    posted_on: date | None = None
    body: str = ""
    progress: int | None = None
    status: str | None = None  # None or "": unchanged
    link: str = ""


def _require_reporter(actor, action: Action) -> None:
    if isinstance(actor, OwnerActor):
        if actor.action.id != action.id or not action.owner_email:
            raise PermissionDenied(_("You cannot report on this action."))
        return
    require_plan_editor(actor, action.plan.city)


def _checked_link(value: str | None) -> str:
    link = clean_text(value, "link", max_length=LINK_MAX)
    if not link:
        return ""
    problem = _("Give a web address that starts with https:// or http://.")
    if any(ch.isspace() or ord(ch) < 32 for ch in link):
        raise ValidationFailed(problem, field="link")
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        raise ValidationFailed(problem, field="link") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValidationFailed(problem, field="link")
    return link


def earliest_date(action: Action, city) -> date:
    """The earliest date an update on ``action`` may carry."""
    created = local_date(action.created_at, city.timezone or "UTC")
    return created - BACKDATE_LIMIT


def _checked_date(action: Action, posted_on: date | None, now: datetime) -> date:
    city = action.plan.city
    today = city_today(city, now)
    if posted_on is None:
        return today
    if not date_in_range(posted_on, now):
        raise ValidationFailed(date_range_message(now), "posted_on")
    if posted_on > today:
        raise ValidationFailed(
            _("An update cannot be dated in the future."), "posted_on"
        )
    if posted_on < earliest_date(action, city):
        raise ValidationFailed(
            _("An update cannot be dated more than a year before the action."),
            "posted_on",
        )
    return posted_on


def _checked_progress(progress: int | None) -> int | None:
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationFailed(_("Progress is a percentage from 0 to 100."), "progress")
    return progress


def _checked_status(status: str | None) -> str | None:
    if not status:
        return None
    if status not in ACTION_STATUSES:
        raise ValidationFailed(_("Choose a status from the list."), "status")
    return status


def _checked(action: Action, data: UpdateData, now: datetime) -> UpdateData:
    problems = Problems()
    clean = UpdateData(
        posted_on=problems.take(_checked_date, action, data.posted_on, now),
        body=problems.take(clean_text, data.body, "body", max_length=TEXT_MAX) or "",
        progress=problems.take(_checked_progress, data.progress),
        status=problems.take(_checked_status, data.status),
        link=problems.take(_checked_link, data.link) or "",
    )
    changes = clean.progress is not None or (
        clean.status is not None and clean.status != action.status
    )
    if not problems and not clean.body and not changes:
        problems.add(
            _("Write what happened, or change the progress or the status."), "body"
        )
    problems.raise_any()
    return clean


def check_update(action: Action, data: UpdateData, *, now: datetime) -> None:
    """Every problem with an update, raised together; writes nothing."""
    _checked(action, data, now)


def post_update(
    action: Action, actor, data: UpdateData, *, now: datetime
) -> ActionUpdate:
    """Record a dated update; its progress and status become the action's."""
    _require_reporter(actor, action)
    clean = _checked(action, data, now)
    status_changed = clean.status is not None and clean.status != action.status
    update = ActionUpdate(
        action_id=action.id,
        posted_on=clean.posted_on,
        body=clean.body,
        progress=clean.progress,
        status_before=action.status if status_changed else None,
        status_after=clean.status if status_changed else None,
        link=clean.link,
        author_name=actor.name if isinstance(actor, OwnerActor) else actor_name(actor),
        posted_by_id=None if isinstance(actor, OwnerActor) else _user_id(actor),
        created_at=now,
    )
    db.session.add(update)
    if clean.progress is not None:
        action.progress = clean.progress
    if status_changed:
        action.status = clean.status
    action.updated_at = now
    db.session.flush()
    return update


def _user_id(actor) -> int | None:
    # A city's representative is not an account.
    return None if isinstance(actor, CityRepresentative) else actor.id


def edit_update(
    update: ActionUpdate, actor, *, posted_on: date, body: str, link: str, now
) -> None:
    """Correct an update's date, text or link (editors only). What it changed
    (progress, status) stays as recorded: a new update changes them again."""
    action = update.action
    require_plan_editor(actor, action.plan.city)
    problems = Problems()
    clean_date = problems.take(_checked_date, action, posted_on, now)
    clean_body = problems.take(clean_text, body, "body", max_length=TEXT_MAX) or ""
    clean_link = problems.take(_checked_link, link) or ""
    changes = update.progress is not None or update.status_after is not None
    if not problems and not clean_body and not changes:
        problems.add(_("Write what happened."), "body")
    problems.raise_any()
    update.posted_on = clean_date
    update.body = clean_body
    update.link = clean_link
    db.session.flush()


def delete_update(update: ActionUpdate, actor) -> None:
    """Delete an update (editors only); the action keeps its progress and status."""
    require_plan_editor(actor, update.action.plan.city)
    db.session.delete(update)
    db.session.flush()


def action_update(action: Action, update_id: int) -> ActionUpdate | None:
    """The action's update with this id (None if it is another action's)."""
    update = db.session.get(ActionUpdate, update_id)
    return update if update is not None and update.action_id == action.id else None


def mark_milestone_done(
    milestone: Milestone, actor, *, now: datetime, done: bool = True
) -> None:
    """The milestone done today on the city's calendar (or not done again)."""
    action = milestone.action
    _require_reporter(actor, action)
    if done:
        if milestone.done_on is None:
            milestone.done_on = city_today(action.plan.city, now)
    else:
        milestone.done_on = None
    action.updated_at = now
    db.session.flush()
