"""Participant pages: the registration form and the personal manage page."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh

from consult.database import commit_keeping_loaded, is_postgresql, write_intent
from consult.dial_in import dial_in_for
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.events.access import visible_event_or_404
from consult.exports import personal_data_download
from consult.extensions import db, limiter
from consult.forms import show_error
from consult.i18n import page_language_is
from consult.languages import recipient_locale
from consult.registration import bp
from consult.registration.countries import country_name
from consult.registration.forms import (
    ConfirmForm,
    DetailsForm,
    SmsSettingsForm,
    registration_form_class,
)
from consult.registration.routes.thanks import render_thanks
from consult.registration.services import (
    cancel_registration,
    check_registration,
    erase,
    export_personal_data,
    form_data,
    manage_token,
    register,
    registration_from_token,
    registration_open,
    update_details,
)
from consult.registration.services.availability import availability
from consult.registration.services.erasure import erasure_plan
from consult.registration.services.form_data import StaleFormData, kept_form_data
from consult.registration.services.sms_settings import update_sms_settings
from consult.registration.services.tokens import registration_from_short_token
from consult.timeutil import now_utc


def _registration_limit() -> str:
    return current_app.config.get("REGISTRATION_RATE_LIMIT") or "20 per hour"


def _own_registration_or_404(slug: str, token: str):
    # A token opens only its own registration, and only under its event's slug.
    try:
        registration = registration_from_token(token)
    except NotFound:
        abort(404)
    if registration.event.slug != slug:
        abort(404)
    return registration


def _render_form(event, form, questions, status=200):
    kinds = list(form.types_by_key.values())
    page = render_template(
        "registration/register.html",
        event=event,
        form=form,
        questions=questions,
        is_open=registration_open(event, now_utc()),
        kinds=kinds,
        seats=availability(event.id, kinds),
    )
    return page, status


@bp.route("/events/<slug>/register", methods=["GET", "POST"], endpoint="register")
@limiter.limit(_registration_limit, methods=["POST"])
def register_page(slug: str):
    if request.method == "POST" and (kept := kept_form_data(slug)) is not None:
        # Most registrations: this process's copies, checked under the lock.
        page = _register_with_kept(kept)
        if page is not None:
            return page
        db.session.rollback()
        refresh()  # the page's language too is read again
    # Reading the form's data does not take SQLite's write lock: the lock is
    # taken by the registration's first write, after the form is checked, so
    # registrations queue only behind each other's few statements.
    with write_intent(False):
        data = form_data(slug)
        if data is None:
            abort(404)
        # Only its organisers see a draft's form: the usual check, on the
        # session's own event object.
        event = visible_event_or_404(slug) if data.event.is_draft else data.event
    page_language_is(event.default_language)
    if not is_postgresql(db.session):
        db.session.rollback()  # end the reading transaction before writing
    questions, types = list(data.questions), list(data.types)
    form = registration_form_class(questions)(default_zone=event.timezone)
    form.set_types(types)
    if not form.is_submitted():
        return _render_form(event, form, questions)
    if not form.validate():
        # The service's rules too, so that one submit reports every problem.
        try:
            check_registration(
                event,
                form.registration_data(questions),
                types=types,
                questions=questions,
            )
        except ValidationFailed as exc:
            show_error(form, exc, beside_checked=True)
        return _render_form(event, form, questions, 422)
    if form.is_bot():
        return render_thanks(event, None)
    try:
        result = register(
            event,
            form.registration_data(questions),
            now=now_utc(),
            types=types,
            questions=questions,
        )
    except ValidationFailed as exc:
        db.session.rollback()
        if any(name == "consent_privacy" for name, _m in exc.problems):
            form.consent_privacy.data = False  # a consent to another text
        show_error(form, exc)
        return _render_form(event, form, questions, 422)
    except Conflict as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _render_form(event, form, questions, 409)
    commit_keeping_loaded(db.session)
    return render_thanks(event, result)


def _register_with_kept(data):
    """The thank-you page of a registration made with kept copies; None if the
    request must start again on the event as it is now (form_data.py)."""
    event = data.event
    if event.is_draft:
        return None
    page_language_is(event.default_language)
    questions, types = list(data.questions), list(data.types)
    form = registration_form_class(questions)(default_zone=event.timezone)
    form.set_types(types, kept=True)
    if not form.validate_on_submit() or form.is_bot():
        return None
    try:
        result = register(
            event,
            form.registration_data(questions),
            now=now_utc(),
            types=types,
            questions=questions,
            kept_copies=True,
        )
    except StaleFormData:
        return None
    commit_keeping_loaded(db.session)
    return render_thanks(event, result)


@bp.get("/r/<token>", endpoint="short_manage")
def short_manage(token: str):
    """The short link of an SMS: redirects to the personal manage page."""
    try:
        registration = registration_from_short_token(token)
    except NotFound:
        abort(404)
    return redirect(
        url_for(
            ".manage", slug=registration.event.slug, token=manage_token(registration)
        )
    )


@bp.get("/events/<slug>/registration/<token>")
def manage(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    form = DetailsForm(
        obj=registration,
        default_zone=registration.event.timezone,
        default_language=recipient_locale(registration),
    )
    return _render_manage(registration, token, form)


def _sms_form(registration) -> SmsSettingsForm:
    return SmsSettingsForm(
        formdata=None,
        phone=registration.phone,
        consent_sms=registration.sms_allowed,
    )


def _render_manage(registration, token, form, status=200, sms_form=None):
    event = registration.event
    # Like the join link: for a confirmed seat at an event still on.
    seated = registration.status == "confirmed" and not event.is_cancelled
    page = render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        form=form,
        sms_form=sms_form or _sms_form(registration),
        confirm_form=ConfirmForm(),
        erasure=erasure_plan(registration),
        country=country_name(registration.country),
        dial_in=dial_in_for(event, registration.country) if seated else None,
    )
    return page, status


@bp.post("/events/<slug>/registration/<token>/details")
def self_details(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    form = DetailsForm(
        default_zone=registration.event.timezone,
        default_language=recipient_locale(registration),
    )
    if not form.validate_on_submit():
        return _render_manage(registration, token, form, 422)
    try:
        update_details(registration, form.details(), now=now_utc())
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        show_error(form, exc)
        return _render_manage(registration, token, form, 422)
    db.session.commit()
    flash(_("Your details are saved."), "success")
    return redirect(url_for(".manage", slug=slug, token=token))


@bp.post("/events/<slug>/registration/<token>/sms")
def self_sms(slug: str, token: str):
    """The person's mobile number and whether they want SMS."""
    registration = _own_registration_or_404(slug, token)
    details = DetailsForm(
        formdata=None,
        obj=registration,
        default_zone=registration.event.timezone,
        default_language=recipient_locale(registration),
    )
    form = SmsSettingsForm()
    if not form.validate_on_submit():
        return _render_manage(registration, token, details, 422, form)
    try:
        update_sms_settings(
            registration, form.phone.data or "", form.consent_sms.data, now=now_utc()
        )
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        show_error(form, exc)
        return _render_manage(registration, token, details, 422, form)
    db.session.commit()
    flash(_("Your SMS settings are saved."), "success")
    return redirect(url_for(".manage", slug=slug, token=token))


@bp.post("/events/<slug>/registration/<token>/cancel")
def self_cancel(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm the cancellation."), "error")
    else:
        cancel_registration(registration, now=now_utc())
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".manage", slug=slug, token=token))


@bp.get("/events/<slug>/registration/<token>/data.json")
def self_export(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    return personal_data_download(
        export_personal_data(registration),
        f"registration-{registration.event.slug}.json",
    )


@bp.post("/events/<slug>/registration/<token>/erase")
def self_erase(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm the erasure."), "error")
        return redirect(url_for(".manage", slug=slug, token=token))
    event = registration.event
    erase(registration, now=now_utc())
    db.session.commit()
    # The old link no longer opens anything: say so on this page only.
    return render_template("registration/erased.html", event=event)
