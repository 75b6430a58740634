"""A facilitator's pages of one person: what was recorded for them, a new
input, a survey's answers. Only the facilitator's own people (404 else)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt
from consult.challenges.labels import BUDGET_LABELS, KIND_HELP, KIND_LABELS
from consult.challenges.labels import STATE_LABELS as INPUT_STATE_LABELS
from consult.challenges.services import (
    author_inputs,
    ballot_of,
    event_challenges,
    settings_for,
    window_open,
)
from consult.challenges.services.common import Author
from consult.errors import NotFound
from consult.extensions import db
from consult.facilitators import bp
from consult.facilitators.forms import FacilitatedAnswersForm, FacilitatedInputForm
from consult.facilitators.inputs import record_input
from consult.facilitators.records import ballot_record
from consult.facilitators.routes.facilitator import (
    BASE,
    _facilitated_event_or_404,
    _person_or_404,
)
from consult.facilitators.services import CHANNEL_LABELS
from consult.facilitators.surveys import (
    event_survey,
    person_surveys,
    record_survey_answers,
)
from consult.numbers import query_int
from consult.registration.forms_manage import STATUS_LABELS
from consult.surveys.services import (
    AnswersInvalid,
    can_change,
    in_audience,
    raw_from_form,
    registrant_state,
)
from consult.timeutil import now_utc

PERSON = BASE + "/people/<int:registration_id>"


@bp.get(PERSON + "/")
@login_required
def person(slug: str, registration_id: int):
    event = _facilitated_event_or_404(slug)
    registration = _person_or_404(event, registration_id)
    now = now_utc()
    return render_template(
        "facilitators/person.html",
        event=event,
        person=registration,
        challenges=event_challenges(event),
        ballot=ballot_of(registration),
        ballot_record=ballot_record(registration),
        inputs=author_inputs(Author(registration=registration)),
        surveys=person_surveys(event, registration, now=now),
        inputs_open=window_open(event, now),
        channel_labels=CHANNEL_LABELS,
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        input_state_labels=INPUT_STATE_LABELS,
    )


@bp.route(PERSON + "/inputs/new", methods=["GET", "POST"])
@login_required
def new_input(slug: str, registration_id: int):
    event = _facilitated_event_or_404(slug)
    registration = _person_or_404(event, registration_id)
    form = FacilitatedInputForm(event_challenges(event))
    if request.method == "GET" and query_int("challenge") is not None:
        form.challenge_id.data = query_int("challenge")
    if form.validate_on_submit() and attempt(
        form,
        lambda: record_input(
            event,
            current_user,
            registration.id,
            form.to_data(),
            form.channel.data,
            now=now_utc(),
        ),
        passthrough=(404,),  # a closed window or an inactive person: on the form
    ):
        db.session.commit()
        flash(
            _(
                "The input of %(name)s is saved and awaits moderation.",
                name=registration.full_name,
            ),
            "success",
        )
        return redirect(url_for(".person", slug=slug, registration_id=registration.id))
    page = render_template(
        "facilitators/input_form.html",
        event=event,
        person=registration,
        form=form,
        is_open=window_open(event, now_utc()),
        may_contribute=Author(registration=registration).may_contribute,
        settings=settings_for(event),
        kind_help=KIND_HELP,
        budget_labels=BUDGET_LABELS,
    )
    return page, 422 if form.is_submitted() else 200


@bp.route(PERSON + "/surveys/<int:survey_id>", methods=["GET", "POST"])
@login_required
def survey(slug: str, registration_id: int, survey_id: int):
    event = _facilitated_event_or_404(slug)
    registration = _person_or_404(event, registration_id)
    try:
        found = event_survey(event, survey_id)
    except NotFound:
        abort(404)
    form = FacilitatedAnswersForm()
    errors, status = {}, 200
    # A refused form comes back with the answers given, not the stored ones.
    raw = raw_from_form(request.form) if form.is_submitted() else None
    if form.validate_on_submit():
        outcome = attempt(
            form,
            lambda: record_survey_answers(
                event,
                current_user,
                registration.id,
                found.id,
                raw,
                form.channel.data,
                now=now_utc(),
            ),
            passthrough=(404,),
        )
        if isinstance(outcome.error, AnswersInvalid):
            errors = outcome.error.errors
        if outcome:
            db.session.commit()
            flash(
                _("The answers of %(name)s are recorded.", name=registration.full_name),
                "success",
            )
            return redirect(
                url_for(".person", slug=slug, registration_id=registration.id)
            )
        status = outcome.error.status_code  # 409: answered already, or closed
    elif form.is_submitted():
        status = 422
    state = registrant_state(found, registration)
    page = render_template(
        "facilitators/survey.html",
        event=event,
        person=registration,
        survey=found,
        form=form,
        state=state,
        raw=state.raw if raw is None else raw,
        errors=errors,
        editable=can_change(found, state, now_utc()),
        allowed=in_audience(found, registration),
    )
    return page, status
