"""The account's API tokens: create (the secret shown once), list, revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.api.forms import SCOPE_LABELS, TokenForm
from consult.api.services.tokens import (
    check_token,
    create_token,
    revoke_token,
    tokens_of,
)
from consult.attempts import attempt_action, submit
from consult.extensions import db
from consult.forms import render_form
from consult.timeutil import now_utc

bp = Blueprint("api_tokens", __name__)


@bp.route("/auth/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    user = current_user._get_current_object()
    form = TokenForm()
    now = now_utc()
    outcome = submit(
        form,
        lambda: create_token(
            user, form.name.data, form.scopes.data or [], form.days.data, now=now
        ),
        # The form's checks failed: the service's too, so one submit says all.
        check=lambda: check_token(
            form.name.data, form.scopes.data or [], form.days.data
        ),
    )
    context = {"tokens": None, "scope_labels": SCOPE_LABELS, "now": now}
    if outcome:
        db.session.commit()
        # The secret is on this page only: it is stored hashed.
        context["tokens"] = tokens_of(user)
        page = render_template(
            "api/tokens.html",
            form=TokenForm(formdata=None),
            created=outcome.value,
            **context,
        )
        return page
    context["tokens"] = tokens_of(user)
    return render_form("api/tokens.html", form, created=None, **context)


@bp.post("/auth/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    user = current_user._get_current_object()
    if attempt_action(lambda: revoke_token(user, token_id, now=now_utc())):
        db.session.commit()
        flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.tokens"))
