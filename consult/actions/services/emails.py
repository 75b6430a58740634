"""Emails to an action's owner: their personal link, milestone reminders and
overdue notices.

Each is an outbox row naming the kind and the action (or milestone), composed
by the sender when it leaves (``compose_action_email``), in the owner's
language, with the facts of that moment: a message whose reason went away
meanwhile (another owner, a milestone done, moved or deleted, the action
done or dropped) is withdrawn with the reason instead.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

from consult.actions.models import Action, Milestone
from consult.actions.services.dates import city_today
from consult.actions.services.tokens import owner_token
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.composers import Composed, Withdrawn, register_composer
from consult.notifications.models import OutboundEmail
from consult.notifications.services import queue_composed_email, render_bodies

COMPOSER = "action-owner"
TEMPLATES = {
    "owner_link": "action_owner_link",
    "milestone_due": "action_milestone_due",
    "milestone_overdue": "action_milestone_overdue",
}
# Bumped when what the composer needs from ``params`` changes.
TEMPLATE_VERSION = 1
# Actions in these states need no reminders.
FINISHED = ("done", "dropped")


def owner_url(action: Action) -> str:
    """The owner's personal page, absolute (for emails)."""
    return external_url("actions.owner_page", token=owner_token(action))


def owner_link_key(action: Action, again_on: date | None = None) -> str:
    """One link email per owner assignment (the nonce changes with the owner),
    and at most one more a day on request."""
    key = f"action-owner:{action.id}:{action.owner_nonce}"
    return key if again_on is None else f"{key}:again:{again_on.isoformat()}"


def milestone_key(milestone: Milestone, kind: str) -> str:
    """Each reminder once per milestone and due date."""
    suffix = "due" if kind == "milestone_due" else "overdue"
    return f"action-milestone:{milestone.id}:{suffix}:{milestone.due_on.isoformat()}"


def _subject(kind: str, action: Action, milestone: Milestone | None = None) -> str:
    if kind == "owner_link":
        return _("Your link to report on “%(title)s”", title=action.title)
    if kind == "milestone_due":
        return _("Coming up: %(milestone)s", milestone=milestone.title)
    return _("Overdue: %(milestone)s", milestone=milestone.title)


def queue_owner_link(action: Action, *, now: datetime, again_on=None) -> bool:
    """Queue the owner's personal link; False when the key was taken."""
    with composing_for(action.owner_language):
        subject = _subject("owner_link", action)
    return queue_composed_email(
        composer=COMPOSER,
        template=TEMPLATES["owner_link"],
        to=action.owner_email,
        to_name=action.owner_name,
        subject=subject,
        params={
            "kind": "owner_link",
            "action": action.id,
            "nonce": action.owner_nonce,
            "version": TEMPLATE_VERSION,
        },
        dedup_key=owner_link_key(action, again_on),
        now=now,
    )


def queue_milestone_email(milestone: Milestone, kind: str, *, now: datetime) -> bool:
    """Queue a reminder (``milestone_due``) or overdue notice to the action's
    owner; False when it was queued before (or by a concurrent run)."""
    action = milestone.action
    with composing_for(action.owner_language):
        subject = _subject(kind, action, milestone)
    return queue_composed_email(
        composer=COMPOSER,
        template=TEMPLATES[kind],
        to=action.owner_email,
        to_name=action.owner_name,
        subject=subject,
        params={
            "kind": kind,
            "action": action.id,
            "milestone": milestone.id,
            "due_on": milestone.due_on.isoformat(),
            "version": TEMPLATE_VERSION,
        },
        dedup_key=milestone_key(milestone, kind),
        now=now,
    )


def _same_address(row: OutboundEmail, action: Action) -> bool:
    return (action.owner_email or "").casefold() == (row.recipient or "").casefold()


def _checked_milestone(row: OutboundEmail, kind: str, now: datetime) -> Milestone:
    params = row.params or {}
    milestone = db.session.get(Milestone, params.get("milestone") or 0)
    if milestone is None:
        raise Withdrawn(_("The milestone was deleted before this message left."))
    if milestone.done_on is not None:
        raise Withdrawn(_("The milestone was done before this message left."))
    if milestone.due_on.isoformat() != params.get("due_on"):
        raise Withdrawn(_("The milestone's due date changed before this message left."))
    if milestone.action.status in FINISHED:
        raise Withdrawn(
            _("The action was finished or dropped before this message left.")
        )
    if kind == "milestone_due" and milestone.is_overdue(
        city_today(milestone.action.plan.city, now)
    ):
        raise Withdrawn(_("The milestone was overdue before this reminder left."))
    return milestone


def compose_action_email(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued owner email, from the action as it is now."""
    params = row.params or {}
    kind = params.get("kind")
    if kind not in TEMPLATES:
        raise ValueError(f"unknown action email {kind!r}")
    action = db.session.get(Action, params.get("action") or 0)
    if action is None:
        raise Withdrawn(_("The action was deleted before this message left."))
    if not _same_address(row, action):
        raise Withdrawn(_("The action's owner changed before this message left."))
    milestone = None
    if kind == "owner_link":
        if action.owner_nonce != params.get("nonce"):
            raise Withdrawn(_("The owner's link changed before this message left."))
    else:
        milestone = _checked_milestone(row, kind, now)
    return action_email_text(action, kind, milestone, now=now)


def action_email_text(
    action: Action, kind: str, milestone: Milestone | None, *, now: datetime
) -> Composed:
    """One owner email in the owner's language (no check that it is still right)."""
    city = action.plan.city
    with composing_for(action.owner_language) as language:
        today = city_today(city, now)
        context = {
            "action": action,
            "plan": action.plan,
            "city": city,
            "milestone": milestone,
            "owner_url": owner_url(action),
            "due": (
                format_date(milestone.due_on, "long", locale=get_locale())
                if milestone
                else ""
            ),
            "days_left": (milestone.due_on - today).days if milestone else 0,
            "open_milestones": [m for m in action.milestones if m.done_on is None],
        }
        body_text, body_html = render_bodies(
            TEMPLATES[kind], context, language=language
        )
        subject = _subject(kind, action, milestone)
    return Composed(
        subject=subject, body_text=body_text, body_html=body_html, language=language
    )


register_composer(COMPOSER, compose_action_email)
