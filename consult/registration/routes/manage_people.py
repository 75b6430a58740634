"""Organiser page that adds people: assisted registration (the message to
many people: ``message.py``)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import submit
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import render_form
from consult.registration import bp
from consult.registration.countries import country_choices
from consult.registration.forms_manage import STATUS_LABELS, AssistedForm
from consult.registration.routes.manage_helpers import event_types
from consult.registration.services.register import check_registration, register
from consult.registration.services.validation import questions_for
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/registrations"


def _answers() -> dict[str, str]:
    """Answers to the type-specific questions, sent as q_<question id>."""
    return {
        key[2:]: value
        for key, value in request.form.items()
        if key.startswith("q_") and key[2:].isdigit()
    }


@bp.route(BASE + "/new", methods=["GET", "POST"])
@login_required
def manage_assisted(slug: str):
    event = managed_event_or_404(slug)
    types = event_types(event)
    form = AssistedForm(types, country_choices(), (event.timezone,))
    if request.method == "GET":
        form.timezone.data = event.timezone
    outcome = submit(
        form,
        lambda: register(
            event, form.to_data(_answers()), now=now_utc(), assisted_by=current_user
        ),
        # The form's checks failed: the service's too, so one submit says all.
        check=lambda: check_registration(
            event, form.to_data(_answers()), types=types, assisted=True
        ),
    )
    if outcome:
        db.session.commit()
        result = outcome.value
        person = result.registration
        reached = person.email or person.sms_allowed
        said = (
            _("%(name)s is registered (%(status)s). We send them the confirmation.")
            if reached
            else _(
                "%(name)s is registered (%(status)s). Tell them yourself: "
                "without an email or their consent to SMS, we send them nothing."
            )
        )
        flash(
            said % {"name": person.full_name, "status": STATUS_LABELS[result.status]},
            "success",
        )
        return redirect(url_for("registration.manage_list", slug=event.slug))
    return render_form(
        "registration/manage/assisted.html",
        form,
        event=event,
        questions=questions_for(event),
        type_labels={t.key: t.label for t in types},
        answers=_answers(),
    )
