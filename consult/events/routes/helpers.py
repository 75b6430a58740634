"""Small glue shared by the event routes: access checks, form pages."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

# The one way routes run a service (consult/attempts.py), re-exported for the
# many routes that import their glue from here.
from consult.attempts import Outcome, attempt, attempt_action  # noqa: F401


def require_organiser_account() -> None:
    """Experts and other accounts cannot reach the organiser pages."""
    if not current_user.can_organise:
        abort(403)


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
