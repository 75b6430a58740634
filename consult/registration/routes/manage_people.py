"""Organiser pages that add or reach people: assisted registration, bulk message."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import render_form
from consult.languages import LANGUAGE_NAMES, is_language
from consult.registration import bp
from consult.registration.countries import country_choices
from consult.registration.forms_manage import STATUS_LABELS, AssistedForm
from consult.registration.forms_message import MessageForm
from consult.registration.routes.manage_helpers import event_types, filter_form
from consult.registration.services.bulk_message import (
    choose_text,
    send_bulk_message,
)
from consult.registration.services.organiser_queries import (
    count_registrants,
    recipient_languages,
)
from consult.registration.services.register import register
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
    outcome = form.validate_on_submit() and attempt(
        form,
        lambda: register(
            event, form.to_data(_answers()), now=now_utc(), assisted_by=current_user
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


@bp.route(BASE + "/message", methods=["GET", "POST"])
@login_required
def manage_message(slug: str):
    event = managed_event_or_404(slug)
    filters = filter_form(event, event_types(event)).to_filter()
    languages = recipient_languages(
        event, filters, default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    form = MessageForm(event, _offered(event, languages))
    # "Check who gets which text" shows the plan for what is typed, sends nothing.
    checking = request.method == "POST" and "check" in request.form
    outcome = (
        not checking
        and form.validate_on_submit()
        and attempt(
            form,
            lambda: send_bulk_message(
                event,
                filters,
                current_user,
                subject=form.subject.data,
                body=form.body.data,
                texts=form.texts(),
                now=now_utc(),
            ),
        )
    )
    if outcome:
        db.session.commit()
        flash(
            ngettext(
                "%(num)d message queued;",
                "%(num)d messages queued;",
                outcome.value.queued,
            )
            + " "
            + ngettext(
                "%(num)d person has no email address.",
                "%(num)d people have no email address.",
                outcome.value.without_email,
            ),
            "success",
        )
        return redirect(
            url_for("registration.manage_list", slug=event.slug, **filters.as_args())
        )
    checked = checking and form.validate_on_submit()
    page = render_form(
        "registration/manage/message.html",
        form,
        event=event,
        filters=filters,
        recipients=count_registrants(event, filters, with_email=True),
        matching=count_registrants(event, filters),
        plan=[
            (choose_text(code, form.written(), event.default_language), count)
            for code, count in languages
        ],
        counts=dict(languages),
        language_names=LANGUAGE_NAMES,
    )
    return (page[0], 200) if checked else page


def _offered(event, languages: list[tuple[str, int]]) -> list[str]:
    """The languages that may have a text of their own: the event's default
    language (the fallback) first, then those the recipients read."""
    codes = [event.default_language] if is_language(event.default_language) else []
    return codes + [code for code, _count in languages if code not in codes]
