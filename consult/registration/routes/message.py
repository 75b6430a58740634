"""The organiser's message to many registrants: choose who (by status, with
the count of each), write, check who gets which text, preview it for one real
recipient, send a test to yourself, then confirm and send.

One form and one URL: the buttons say what to do (``check``, ``test``,
``send``; any other submit reviews). Nothing typed is lost on any step.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.addresses import site_sender
from consult.attempts import attempt
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import render_form
from consult.languages import LANGUAGE_NAMES, is_language
from consult.numbers import parse_id
from consult.registration import bp
from consult.registration.forms_manage import STATUS_LABELS
from consult.registration.forms_message import MessageForm
from consult.registration.routes.manage_helpers import event_types, filter_form
from consult.registration.services.bulk_message import (
    DEFAULT_STATUSES,
    choose_text,
    recipients_filter,
    send_bulk_message,
)
from consult.registration.services.bulk_message_checks import (
    preview_message,
    preview_recipients,
    send_test_message,
    status_counts,
)
from consult.registration.services.organiser_queries import (
    count_registrants,
    recipient_languages,
)
from consult.security import policy_allowing_styles_of
from consult.timeutil import now_utc

ACTIONS = ("check", "test", "send")


def _chosen_statuses(list_filters) -> tuple[str, ...]:
    """The statuses ticked; on first view the list's status filter, else
    the confirmed people (``DEFAULT_STATUSES``)."""
    if request.method == "POST":
        return tuple(request.form.getlist("statuses"))
    return (list_filters.status,) if list_filters.status else DEFAULT_STATUSES


@bp.route("/manage/events/<slug>/registrations/message", methods=["GET", "POST"])
@login_required
def manage_message(slug: str):
    event = managed_event_or_404(slug)
    list_filters = filter_form(event, event_types(event)).to_filter()
    chosen = _chosen_statuses(list_filters)
    filters = recipients_filter(replace(list_filters, statuses=chosen))
    languages = recipient_languages(
        event, filters, default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    form = MessageForm(event, _offered(event, languages))
    if request.method == "GET":
        form.statuses.data = list(chosen)
    action = next((a for a in ACTIONS if a in request.form), "review")
    valid = request.method == "POST" and form.validate_on_submit()
    texts = {
        "subject": form.subject.data,
        "body": form.body.data,
        "texts": form.texts(),
    }
    preview = None
    if valid and action == "send":
        outcome = attempt(
            form,
            lambda: send_bulk_message(
                event,
                filters,
                current_user,
                now=now_utc(),
                expected=parse_id(request.form.get("recipients_shown")),
                **texts,
            ),
        )
        if outcome:
            db.session.commit()
            _flash_sent(outcome.value)
            return redirect(
                url_for(
                    "registration.manage_list",
                    slug=event.slug,
                    **list_filters.as_args(),
                )
            )
    elif valid and action == "test":
        outcome = attempt(
            form,
            lambda: send_test_message(event, current_user, now=now_utc(), **texts),
        )
        if outcome:
            db.session.commit()
            flash(
                _(
                    "A test is on its way to %(address)s, with “[Test]” before "
                    "the subject. Nobody else gets anything.",
                    address=current_user.email,
                ),
                "success",
            )
    elif valid and action == "review":
        outcome = attempt(
            form,
            lambda: preview_message(
                event,
                filters,
                current_user,
                registration_id=parse_id(request.form.get("preview_for")),
                **texts,
            ),
        )
        preview = outcome.value if outcome else None
    page, status = render_form(
        "registration/manage/message.html",
        form,
        event=event,
        filters=list_filters,
        status_counts=status_counts(event, list_filters),
        status_labels=STATUS_LABELS,
        recipients=count_registrants(event, filters, with_email=True),
        matching=count_registrants(event, filters),
        plan=[
            (choose_text(code, form.written(), event.default_language), count)
            for code, count in languages
        ],
        counts=dict(languages),
        language_names=LANGUAGE_NAMES,
        reviewing=valid and action == "review",
        preview=preview,
        preview_choices=preview_recipients(event, filters) if preview else [],
        site=site_sender(),
    )
    if valid and not form.form_errors:
        status = 200  # a check, a preview or a test: nothing was wrong
    headers = {}
    if preview and preview.html:
        # The preview frame's inline styles, and no others (consult.security).
        headers["Content-Security-Policy"] = policy_allowing_styles_of(preview.html)
    return page, status, headers


def _flash_sent(outcome) -> None:
    flash(
        ngettext(
            "%(num)d message queued;",
            "%(num)d messages queued;",
            outcome.queued,
        )
        + " "
        + ngettext(
            "%(num)d person has no email address.",
            "%(num)d people have no email address.",
            outcome.without_email,
        ),
        "success",
    )


def _offered(event, languages: list[tuple[str, int]]) -> list[str]:
    """The languages that may have a text of their own: the event's default
    language (the fallback) first, then those the recipients read."""
    codes = [event.default_language] if is_language(event.default_language) else []
    return codes + [code for code, _count in languages if code not in codes]
