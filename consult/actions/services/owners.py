"""An action's owner: who reports progress through a personal link.

An editor names the owner (name, email, language for messages). A new or
changed address rotates the owner's nonce, so every link sent before stops
working, and queues the new owner's link (``emails.py``: composed when it
leaves, withdrawn if the owner changed meanwhile). The link may be sent
again once a day; removing the owner revokes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from consult.actions.access import require_plan_editor
from consult.actions.models import Action
from consult.actions.services.dates import city_today
from consult.actions.services.emails import queue_owner_link
from consult.actions.services.tokens import revoke_owner_link
from consult.errors import Conflict, Problems, ValidationFailed
from consult.extensions import db
from consult.languages import checked_language
from consult.notifications.services import normalise_recipient
from consult.text import clean_text

NAME_MAX = 200


@dataclass(frozen=True)
class OwnerData:
    name: str = ""
    email: str = ""
    language: str | None = None


@dataclass(frozen=True)
class OwnerChange:
    """What ``set_owner`` did: whether the owner is new (a link was queued)."""

    new_owner: bool
    link_queued: bool


def _owner_email(address: str | None) -> str:
    try:
        return normalise_recipient(address or "")
    except ValidationFailed:
        raise ValidationFailed(_("Invalid email address."), "email") from None


def _checked(data: OwnerData) -> OwnerData:
    problems = Problems()
    name = problems.take(clean_text, data.name, "name", max_length=NAME_MAX)
    email = problems.take(_owner_email, data.email)
    language = problems.take(checked_language, data.language)
    if not problems.has("name") and not name:
        problems.add(_("This field is required."), "name")
    problems.raise_any()
    return OwnerData(name=name, email=email, language=language)


def check_owner(data: OwnerData) -> None:
    """Every problem with an owner's details, raised together; writes nothing."""
    _checked(data)


def set_owner(action: Action, actor, data: OwnerData, *, now: datetime) -> OwnerChange:
    """Name the action's owner; a new address revokes old links and sends the
    new owner their personal link, in their language."""
    require_plan_editor(actor, action.plan.city)
    clean = _checked(data)
    new_owner = clean.email.casefold() != (action.owner_email or "").casefold()
    action.owner_name = clean.name
    action.owner_language = clean.language
    action.updated_at = now
    queued = False
    if new_owner:
        action.owner_email = clean.email
        revoke_owner_link(action)
        db.session.flush()
        queued = queue_owner_link(action, now=now)
    db.session.flush()
    return OwnerChange(new_owner=new_owner, link_queued=queued)


def resend_owner_link(action: Action, actor, *, now: datetime) -> None:
    """The owner's link by email again (once a day: Conflict after that)."""
    require_plan_editor(actor, action.plan.city)
    if not action.owner_email:
        raise Conflict(_("This action has no owner to send a link to."))
    today = city_today(action.plan.city, now)
    if not queue_owner_link(action, now=now, again_on=today):
        raise Conflict(_("The link was sent again today already. Try again tomorrow."))
    db.session.flush()


def remove_owner(action: Action, actor, *, now: datetime) -> None:
    """No owner any more: their link stops working and reminders stop."""
    require_plan_editor(actor, action.plan.city)
    if not action.owner_email and not action.owner_name:
        return
    action.owner_name = ""
    action.owner_email = ""
    action.owner_language = None
    action.updated_at = now
    revoke_owner_link(action)
    db.session.flush()


def set_owner_language(action: Action, language: str | None) -> None:
    """The owner's own choice of language for their emails (through their link)."""
    action.owner_language = checked_language(language)
    db.session.flush()
