"""The outbox for admins; each event's emails and reminder plan for its organisers."""

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.errors import NotFound, ValidationFailed
from consult.events.access import managed_event_or_404
from consult.extensions import csrf, db
from consult.forms import show_error
from consult.notifications import bp
from consult.notifications.controls import (
    cancel_queued,
    held_count,
    pause_messages,
    queued_templates,
    resume_messages,
    send_test,
)
from consult.notifications.forms import PlanItemForm
from consult.notifications.models import EMAIL_STATUSES
from consult.notifications.reminders import (
    add_plan_item,
    plan_item_of,
    plan_overview,
    scheduler_is_stale,
    set_plan_item_enabled,
    update_plan_item,
)
from consult.notifications.reminders.placeholders import PLACEHOLDERS
from consult.notifications.reminders.plans import validate_plan_item
from consult.notifications.reminders.preview import preview_plan_item
from consult.notifications.services import (
    event_outbox_counts,
    outbox_page,
    retry_email,
    scheduler_health,
)
from consult.notifications.sms.segments import count_segments
from consult.notifications.unsubscribe import (
    opt_out,
    registration_from_unsubscribe_token,
)
from consult.numbers import parse_id, query_page
from consult.registration.services import stakeholder_types
from consult.security import policy_allowing_styles_of
from consult.timeutil import date_range_years, now_utc


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _status_filter() -> str:
    status = request.args.get("status", "")
    return status if status in EMAIL_STATUSES else ""


def _retried(email) -> None:
    db.session.commit()
    flash(
        _("The email to %(recipient)s is queued again.", recipient=email.recipient),
        "success",
    )


@bp.get("/manage/outbox")
@login_required
def outbox():
    _require_admin()
    status = _status_filter()
    page = outbox_page(status=status or None, page=query_page())
    return render_template(
        "notifications/outbox.html",
        page=page,
        status=status,
        statuses=EMAIL_STATUSES,
        health=scheduler_health(now=now_utc()),
    )


@bp.post("/manage/outbox/<int:email_id>/retry")
@login_required
def retry(email_id: int):
    _require_admin()
    _retried(retry_email(email_id, now=now_utc()))
    return redirect(url_for(".outbox", status=request.args.get("status") or None))


@bp.get("/manage/events/<slug>/notifications")
@login_required
def event_outbox(slug: str):
    event = managed_event_or_404(slug)
    status = _status_filter()
    page = outbox_page(
        status=status or None,
        page=query_page(),
        event_id=event.id,
    )
    return render_template(
        "notifications/event_outbox.html",
        event=event,
        page=page,
        status=status,
        statuses=EMAIL_STATUSES,
        counts=event_outbox_counts(event.id),
        health=scheduler_health(now=now_utc()),
        held=held_count(event),
        queued_kinds=queued_templates(event),
    )


@bp.post("/manage/events/<slug>/notifications/<int:email_id>/retry")
@login_required
def event_retry(slug: str, email_id: int):
    event = managed_event_or_404(slug)
    _retried(retry_email(email_id, now=now_utc(), event_id=event.id))
    return redirect(
        url_for(".event_outbox", slug=slug, status=request.args.get("status") or None)
    )


# -- reminder and follow-up plan -------------------------------------------

# Service field names that the form calls differently.
_FORM_FIELDS = {"anchor": "when", "offset": "amount"}


@bp.get("/manage/events/<slug>/notifications/plan")
@login_required
def event_plan(slug: str):
    event = managed_event_or_404(slug)
    now = now_utc()
    # An event stored with an absurd date has no computable send times.
    rows = plan_overview(event, now=now) if event.dates_in_range else []
    return render_template(
        "notifications/plan.html",
        event=event,
        rows=rows,
        date_range=None if event.dates_in_range else date_range_years(now),
        scheduler_stale=scheduler_is_stale(now=now),
        held=held_count(event),
    )


@bp.route(
    "/manage/events/<slug>/notifications/plan/<int:item_id>", methods=["GET", "POST"]
)
@login_required
def edit_plan_item(slug: str, item_id: int):
    event = managed_event_or_404(slug)
    item = plan_item_of(event, item_id)
    form = PlanItemForm.for_event(stakeholder_types(event), item)
    return _plan_item_page(event, form, item)


@bp.route("/manage/events/<slug>/notifications/plan/new", methods=["GET", "POST"])
@login_required
def new_plan_item(slug: str):
    event = managed_event_or_404(slug)
    form = PlanItemForm.for_event(stakeholder_types(event))
    return _plan_item_page(event, form, None)


@bp.post("/manage/events/<slug>/notifications/plan/<int:item_id>/toggle")
@login_required
def toggle_plan_item(slug: str, item_id: int):
    event = managed_event_or_404(slug)
    item = plan_item_of(event, item_id)
    set_plan_item_enabled(item, not item.enabled, now=now_utc())
    db.session.commit()
    flash(_("Switched on.") if item.enabled else _("Switched off."), "success")
    return redirect(url_for(".event_plan", slug=slug))


def _plan_item_page(event, form, item):
    """Validate, then preview or save; errors go next to their field."""
    preview = None
    if form.validate_on_submit():
        try:
            if form.preview.data:
                preview = preview_plan_item(
                    event, form.to_data(), actor=current_user, now=now_utc()
                )
            else:
                _save_plan_item(event, item, form.to_data())
                db.session.commit()
                flash(_("The plan is saved."), "success")
                return redirect(url_for(".event_plan", slug=event.slug))
        except ValidationFailed as exc:
            db.session.rollback()
            _attach_error(form, exc)
    elif form.is_submitted():
        # The service's rules too, so that one submit reports every problem.
        try:
            validate_plan_item(event, form.to_data())
        except ValidationFailed as exc:
            _attach_error(form, exc, beside_checked=True)
    status = 422 if form.errors or form.form_errors else 200
    response = make_response(
        render_template(
            "notifications/plan_item.html",
            event=event,
            form=form,
            item=item,
            preview=preview,
            placeholders=PLACEHOLDERS,
            sms_count=count_segments(form.sms_body.data or ""),
        ),
        status,
    )
    if preview and preview.get("html"):
        # The HTML version is shown in a sandboxed frame; its inline styles
        # (and only those) are allowed by hash.
        response.headers["Content-Security-Policy"] = policy_allowing_styles_of(
            preview["html"]
        )
    return response


def _save_plan_item(event, item, data) -> None:
    if item is None:
        add_plan_item(event, data, now=now_utc())
    else:
        update_plan_item(item, data, now=now_utc())


def _attach_error(form, exc: ValidationFailed, *, beside_checked=False) -> None:
    show_error(form, exc, beside_checked=beside_checked, names=_FORM_FIELDS)


# -- organiser controls: pause, test sends, cancelling -----------------------


def _back_to(event):
    """The page the button was on: the plan, or the event's emails."""
    endpoint = (
        ".event_outbox" if request.form.get("back") == "outbox" else ".event_plan"
    )
    return redirect(url_for(endpoint, slug=event.slug))


@bp.post("/manage/events/<slug>/notifications/pause")
@login_required
def pause_event_messages(slug: str):
    event = managed_event_or_404(slug)
    if attempt_action(lambda: pause_messages(event, current_user, now=now_utc())):
        db.session.commit()
        flash(
            _(
                "Reminders, follow-ups and survey reminders of this event are "
                "paused: nothing of them is queued or sent until you resume. "
                "Registration emails still go out."
            ),
            "success",
        )
    return _back_to(event)


@bp.post("/manage/events/<slug>/notifications/resume")
@login_required
def resume_event_messages(slug: str):
    event = managed_event_or_404(slug)
    outcome = attempt_action(
        lambda: resume_messages(event, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        report = outcome.value
        flash(
            _("Scheduled messages are resumed.")
            + " "
            + ngettext(
                "%(num)d held message will be sent;",
                "%(num)d held messages will be sent;",
                report.released,
            )
            + " "
            + ngettext(
                "%(num)d was withdrawn because its moment has passed.",
                "%(num)d were withdrawn because their moment has passed.",
                report.withdrawn,
            ),
            "success",
        )
    return _back_to(event)


@bp.post("/manage/events/<slug>/notifications/plan/<int:item_id>/test")
@login_required
def test_plan_item(slug: str, item_id: int):
    event = managed_event_or_404(slug)
    item = plan_item_of(event, item_id)
    outcome = attempt_action(
        lambda: send_test(event, item, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(
            _(
                "A test email to %(recipient)s is queued; it goes out shortly.",
                recipient=outcome.value.recipient,
            ),
            "success",
        )
    return redirect(url_for(".event_plan", slug=slug))


@bp.post("/manage/events/<slug>/notifications/cancel")
@login_required
def cancel_event_emails(slug: str):
    event = managed_event_or_404(slug)
    raw_ids = request.form.getlist("ids")
    ids = [parse_id(value) for value in raw_ids]
    back = redirect(
        url_for(".event_outbox", slug=slug, status=request.args.get("status") or None)
    )
    if None in ids:
        flash(_("Choose the messages to cancel."), "error")
        return back
    template = request.form.get("template", "").strip()
    outcome = attempt_action(
        lambda: cancel_queued(
            event, current_user, now=now_utc(), ids=ids, template=template
        )
    )
    if outcome:
        db.session.commit()
        flash(
            ngettext(
                "%(num)d queued message is cancelled.",
                "%(num)d queued messages are cancelled.",
                outcome.value,
            ),
            "success",
        )
    return back


# -- List-Unsubscribe (RFC 8058) ---------------------------------------------


# Mail clients POST "List-Unsubscribe=One-Click" without a session or a CSRF
# token (RFC 8058); the signed token in the URL is what authorises the POST.
@bp.route("/messages/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    try:
        registration = registration_from_unsubscribe_token(token)
    except NotFound:
        abort(404)
    if request.method == "POST":
        # Never on GET: mail scanners open links to check them.
        opt_out(registration, now=now_utc())
        db.session.commit()
    response = make_response(
        render_template(
            "notifications/unsubscribe.html",
            registration=registration,
            event=registration.event,
            done=registration.messages_opted_out_at is not None,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
