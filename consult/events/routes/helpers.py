"""Small glue shared by the event routes: service refusals, access checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from consult.errors import DomainError, ValidationFailed
from consult.extensions import db
from consult.forms import show_error

T = TypeVar("T")


def require_organiser_account() -> None:
    """Experts and other accounts cannot reach the organiser pages."""
    if not current_user.can_organise:
        abort(403)


def attempt(form, call: Callable[[], T]) -> T | None:
    """Run a service for a valid form; on a refusal undo and show why."""
    try:
        return call()
    except ValidationFailed as exc:
        db.session.rollback()
        show_error(form, exc)
        return None


def attempt_action(call: Callable[[], T]) -> T | None:
    """Run a service for a button (no form fields); a refusal becomes a flash."""
    try:
        return call()
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code in (403, 404):
            raise
        flash(exc.message, "error")
        return None


def render_form(template: str, form, **context):
    """Render a form page; 422 when a submitted form comes back with errors."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


def flash_if_past(event, now) -> None:
    if event.start_at < now:
        flash(
            _(
                "Note: this event starts in the past. Check the date if that is "
                "not intended."
            ),
            "warning",
        )
