"""A facilitator's pages: their events, the people they registered, a new
person, a person's priorities."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.attempts import attempt, submit
from consult.challenges.services import (
    POINTS_TOTAL,
    ballot_of,
    event_challenges,
    settings_for,
    window_open,
)
from consult.errors import NotFound
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators import bp
from consult.facilitators.forms import FacilitatedForm, FacilitatedPrioritiesForm
from consult.facilitators.services import (
    CHANNEL_LABELS,
    check_person,
    facilitated_events,
    facilitated_people,
    facilitated_person,
    facilitates,
    record_priorities,
    register_person,
)
from consult.forms import render_form
from consult.registration.countries import country_choices
from consult.registration.forms_manage import STATUS_LABELS
from consult.registration.services.register import registration_open
from consult.registration.services.seats import stakeholder_types
from consult.registration.services.validation import questions_for
from consult.timeutil import now_utc

BASE = "/facilitate/<slug>"


def _facilitated_event_or_404(slug: str) -> Event:
    """The event, for one of its facilitators; 404 for others (403 once
    published, like the organiser pages)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if not facilitates(current_user, event):
        abort(404 if event.is_draft else 403)
    return event


def _answers() -> dict[str, str]:
    """Answers to the type-specific questions, sent as q_<question id>."""
    return {
        key[2:]: value
        for key, value in request.form.items()
        if key.startswith("q_") and key[2:].isdigit()
    }


@bp.get("/facilitate/")
@login_required
def home():
    if not current_user.is_facilitator:
        abort(403)  # organisers, admins and reviewers have their own pages
    return render_template(
        "facilitators/home.html", events=facilitated_events(current_user)
    )


@bp.get(BASE + "/")
@login_required
def people(slug: str):
    event = _facilitated_event_or_404(slug)
    return render_template(
        "facilitators/people.html",
        event=event,
        people=facilitated_people(event, current_user),
        registration_open=registration_open(event, now_utc()),
        channel_labels=CHANNEL_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.route(BASE + "/register", methods=["GET", "POST"])
@login_required
def register(slug: str):
    event = _facilitated_event_or_404(slug)
    types = stakeholder_types(event)
    form = FacilitatedForm(types, country_choices(), (event.timezone,))
    if request.method == "GET":
        form.timezone.data = event.timezone
    outcome = submit(
        form,
        lambda: register_person(
            event,
            current_user,
            form.to_data(_answers()),
            form.channel.data,
            now=now_utc(),
        ),
        # The form's checks failed: the service's too, so one submit says all.
        check=lambda: check_person(event, form.to_data(_answers()), form.channel.data),
    )
    if outcome:
        db.session.commit()
        result = outcome.value
        flash(
            _(
                "%(name)s is registered (%(status)s).",
                name=result.registration.full_name,
                status=STATUS_LABELS[result.status],
            ),
            "success",
        )
        return redirect(url_for("facilitators.people", slug=event.slug))
    return render_form(
        "facilitators/register.html",
        form,
        event=event,
        questions=questions_for(event),
        type_labels={t.key: t.label for t in types},
        answers=_answers(),
    )


@bp.route(BASE + "/people/<int:registration_id>/priorities", methods=["GET", "POST"])
@login_required
def priorities(slug: str, registration_id: int):
    event = _facilitated_event_or_404(slug)
    person = _person_or_404(event, registration_id)
    challenges = event_challenges(event)
    form = FacilitatedPrioritiesForm()
    values = ballot_of(person)
    if form.validate_on_submit():
        values = form.values(request.form, challenges)
        if attempt(
            form,
            lambda: record_priorities(
                event,
                current_user,
                person.id,
                values,
                form.channel.data,
                now=now_utc(),
            ),
            # A closed window or an unconfirmed person: said on the form.
            passthrough=(404,),
        ):
            db.session.commit()
            flash(
                _("The priorities of %(name)s are saved.", name=person.full_name),
                "success",
            )
            return redirect(url_for("facilitators.people", slug=event.slug))
    return render_form(
        "facilitators/priorities.html",
        form,
        event=event,
        person=person,
        challenges=challenges,
        values=values,
        settings=settings_for(event),
        is_open=window_open(event, now_utc()),
        points_total=POINTS_TOTAL,
    )


def _person_or_404(event: Event, registration_id: int):
    """The facilitator's person, or the 404 page for anyone else's."""
    try:
        return facilitated_person(event, current_user, registration_id)
    except NotFound:
        abort(404)
