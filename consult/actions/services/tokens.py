"""The personal link of an action's owner (no account needed)."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.actions.models import Action
from consult.errors import NotFound
from consult.extensions import db
from consult.signing import new_nonce, row_from_token, sign_row


def owner_token(action: Action) -> str:
    return sign_row("action-owner", action.id, action.owner_nonce)


def action_from_owner_token(token: str) -> Action:
    """The action an owner's link names; NotFound if bad or revoked."""
    action = row_from_token(
        "action-owner",
        token,
        get=lambda i: db.session.get(Action, i),
        nonce_of=lambda a: a.owner_nonce,
    )
    if action is None or not action.owner_email:
        raise NotFound(_("This link is not valid."))
    return action


def revoke_owner_link(action: Action) -> None:
    """Every link sent to the owner so far stops working."""
    action.owner_nonce = new_nonce()
