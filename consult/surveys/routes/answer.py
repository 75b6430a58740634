"""Survey pages: answering through a personal link or the public link.

No password anywhere: a registrant's personal survey link (or the link on
their manage page) names them with a signed token; the public link names
only the survey.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from consult import signing
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db, limiter
from consult.registration.services.tokens import manage_token
from consult.surveys import bp
from consult.surveys.forms import AnswerForm
from consult.surveys.models import Survey
from consult.surveys.services import (
    AnswersInvalid,
    can_change,
    in_audience,
    personal_survey_url,
    raw_from_form,
    registrant_state,
    registration_for_survey,
    save_draft,
    submit_public,
    submit_response,
)
from consult.timeutil import now_utc

PUBLIC_COOKIE_AGE = 365 * 24 * 3600


def _public_limit() -> str:
    return current_app.config.get("SURVEY_PUBLIC_RATE_LIMIT", "10 per hour")


def _min_fill_seconds() -> int:
    return int(current_app.config.get("SURVEY_MIN_FILL_SECONDS", 5))


def _survey_or_404(slug: str, survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.event.slug != slug or survey.event.is_draft:
        abort(404)
    return survey


def _registration_or_404(survey: Survey, token: str):
    try:
        return registration_for_survey(survey, token)
    except NotFound:
        abort(404)


def _render_answer(survey, registration, form, state, *, raw=None, errors=None,
                   status=200):  # fmt: skip
    now = now_utc()
    page = render_template(
        "surveys/answer.html",
        survey=survey,
        event=survey.event,
        registration=registration,
        form=form,
        state=state,
        raw=state.raw if raw is None else raw,
        errors=errors or {},
        editable=can_change(survey, state, now),
        survey_state=survey.state(now),
        allowed=in_audience(survey, registration),
        action=request.path,
        manage_link=url_for(
            "registration.manage",
            slug=survey.event.slug,
            token=manage_token(registration),
        ),
    )
    return page, status


@bp.route(
    "/events/<slug>/surveys/<int:survey_id>/<token>",
    methods=["GET", "POST"],
    endpoint="answer",
)
def answer(slug: str, survey_id: int, token: str):
    survey = _survey_or_404(slug, survey_id)
    registration = _registration_or_404(survey, token)
    form = AnswerForm()
    state = registrant_state(survey, registration)
    if request.method == "GET":
        status = 200 if in_audience(survey, registration) else 403
        return _render_answer(survey, registration, form, state, status=status)
    if not form.validate_on_submit():
        abort(400)
    raw = raw_from_form(request.form)
    submitting = request.form.get("action") == "submit"
    call = submit_response if submitting else save_draft
    try:
        call(survey, registration, raw, now=now_utc())
    except AnswersInvalid as exc:
        db.session.rollback()
        return _render_answer(survey, registration, form, state, raw=raw,
                              errors=exc.errors, status=422)  # fmt: skip
    except (Conflict, PermissionDenied) as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        state = registrant_state(survey, registration)
        return _render_answer(survey, registration, form, state, raw=raw,
                              status=exc.status_code)  # fmt: skip
    db.session.commit()
    if submitting:
        flash(_("Thank you! Your answers are recorded."), "success")
    else:
        flash(
            _("Your draft is saved. Come back through this link to finish it."),
            "success",
        )
    return redirect(request.path)


@bp.app_template_global()
def registrant_surveys(registration) -> list[dict]:
    """The surveys open to a registrant now, with their state and personal link."""
    now = now_utc()
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.event_id == registration.event_id, Survey.audience != "public")
        .order_by(Survey.opens_at, Survey.id)
    )
    found = []
    for survey in surveys:
        if not survey.is_open(now) or not in_audience(survey, registration):
            continue
        found.append(
            {
                "survey": survey,
                "state": registrant_state(survey, registration),
                "url": personal_survey_url(survey, registration),
            }
        )
    return found


# ---- public link -------------------------------------------------------------


def _public_survey_or_404(slug: str, token: str) -> Survey:
    survey = db.session.scalar(select(Survey).where(Survey.public_token == token))
    if (
        survey is None
        or survey.audience != "public"
        or survey.event.slug != slug
        or survey.event.is_draft
    ):
        abort(404)
    return survey


def _cookie_name(survey: Survey) -> str:
    return f"survey_done_{survey.id}"


def _already_answered(survey: Survey) -> bool:
    """True when this browser carries the signed mark of an earlier answer."""
    value = request.cookies.get(_cookie_name(survey))
    if not value:
        return False
    try:
        return signing.load("survey-answered", value) == survey.id
    except signing.BadToken:
        return False


def _render_public(survey, form, *, raw=None, errors=None, status=200, done=False):
    now = now_utc()
    if not done and not form.started.data:
        form.stamp(now)
    page = render_template(
        "surveys/public.html",
        survey=survey,
        event=survey.event,
        form=form,
        raw=raw or {},
        errors=errors or {},
        done=done,
        survey_state=survey.state(now),
    )
    return page, status


@bp.route(
    "/events/<slug>/surveys/public/<token>",
    methods=["GET", "POST"],
    endpoint="public_answer",
)
@limiter.limit(_public_limit, methods=["POST"])
def public_answer(slug: str, token: str):
    survey = _public_survey_or_404(slug, token)
    form = AnswerForm()
    if _already_answered(survey):
        status = 409 if request.method == "POST" else 200
        return _render_public(survey, form, done=True, status=status)
    if request.method == "GET":
        return _render_public(survey, form)
    if not form.validate_on_submit():
        abort(400)
    if form.is_bot():
        # Look like success to the script; store nothing.
        return _render_public(survey, form, done=True)
    raw = raw_from_form(request.form)
    try:
        submit_public(
            survey,
            raw,
            now=now_utc(),
            started_at=form.started_at(),
            min_seconds=_min_fill_seconds(),
        )
    except AnswersInvalid as exc:
        db.session.rollback()
        return _render_public(survey, form, raw=raw, errors=exc.errors, status=422)
    except (ValidationFailed, Conflict, PermissionDenied) as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        form.started.data = ""  # a fresh start time for the next attempt
        return _render_public(survey, form, raw=raw, status=exc.status_code)
    db.session.commit()
    response = make_response(redirect(request.path))
    response.set_cookie(
        _cookie_name(survey),
        signing.sign("survey-answered", survey.id),
        max_age=PUBLIC_COOKIE_AGE,
        path=url_for("surveys.public_answer", slug=slug, token=token),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    flash(_("Thank you! Your answers are recorded."), "success")
    return response


@bp.app_template_filter("survey_number")
def survey_number(value) -> str:
    """12.0 -> '12', 3.5 -> '3.5' (limits of number questions)."""
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"
