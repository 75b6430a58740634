"""Organiser pages of an event's webhooks: subscriptions and their deliveries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.errors import NotFound
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.timeutil import now_utc
from consult.webhooks import bp
from consult.webhooks.forms import KIND_LABELS, SubscriptionForm
from consult.webhooks.services import subscriptions as subs

BASE = "/manage/events/<slug>/webhooks"


def _page(event, form, status: int = 200, secret_of=None):
    page = render_template(
        "webhooks/index.html",
        event=event,
        form=form,
        subscriptions=subs.subscriptions_of(event),
        counts=subs.delivery_counts(event),
        kind_labels=KIND_LABELS,
        secret_of=secret_of,
    )
    return page, status


def _subscription(event, subscription_id: int):
    try:
        return subs.subscription_of(event, subscription_id)
    except NotFound:
        abort(404)


@bp.get(BASE)
@login_required
def index(slug: str):
    event = managed_event_or_404(slug)
    return _page(event, SubscriptionForm(formdata=None))


@bp.post(BASE)
@login_required
def create(slug: str):
    event = managed_event_or_404(slug)
    form = SubscriptionForm()
    call = lambda: subs.create_subscription(  # noqa: E731
        event, current_user, form.to_data(), now=now_utc()
    )
    if form.validate_on_submit() and (outcome := attempt(form, call)):
        db.session.commit()
        # The secret is shown on this answer only: it is never shown again.
        return _page(event, SubscriptionForm(formdata=None), 201, outcome.value)
    return _page(event, form, 422)


@bp.route(BASE + "/<int:subscription_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, subscription_id: int):
    event = managed_event_or_404(slug)
    row = _subscription(event, subscription_id)
    form = SubscriptionForm(obj=None if request.method == "POST" else row)
    call = lambda: subs.update_subscription(  # noqa: E731
        row, current_user, form.to_data(), now=now_utc()
    )
    if form.validate_on_submit() and attempt(form, call):
        db.session.commit()
        flash(_("The webhook is saved."), "success")
        return redirect(url_for(".index", slug=slug))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "webhooks/edit.html", event=event, subscription=row, form=form
    )
    return page, status


def _action(slug: str, subscription_id: int, call, message: str):
    event = managed_event_or_404(slug)
    row = _subscription(event, subscription_id)
    if attempt_action(lambda: call(row)):
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".index", slug=slug))


@bp.post(BASE + "/<int:subscription_id>/pause")
@login_required
def pause(slug: str, subscription_id: int):
    call = lambda row: subs.pause_subscription(row, current_user, now=now_utc())  # noqa: E731
    return _action(slug, subscription_id, call, _("The webhook is paused."))


@bp.post(BASE + "/<int:subscription_id>/resume")
@login_required
def resume(slug: str, subscription_id: int):
    call = lambda row: subs.resume_subscription(row, current_user, now=now_utc())  # noqa: E731
    return _action(slug, subscription_id, call, _("The webhook is active again."))


@bp.post(BASE + "/<int:subscription_id>/delete")
@login_required
def delete(slug: str, subscription_id: int):
    call = lambda row: subs.delete_subscription(row, current_user)  # noqa: E731
    return _action(slug, subscription_id, call, _("The webhook is deleted."))


@bp.post(BASE + "/<int:subscription_id>/ping")
@login_required
def ping(slug: str, subscription_id: int):
    call = lambda row: subs.send_ping(row, current_user, now=now_utc())  # noqa: E731
    return _action(
        slug, subscription_id, call, _("A test is queued; it is sent shortly.")
    )


@bp.get(BASE + "/<int:subscription_id>/deliveries")
@login_required
def deliveries(slug: str, subscription_id: int):
    event = managed_event_or_404(slug)
    row = _subscription(event, subscription_id)
    return render_template(
        "webhooks/deliveries.html",
        event=event,
        subscription=row,
        deliveries=subs.deliveries_of(row),
        kind_labels=KIND_LABELS,
    )


@bp.post(BASE + "/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
@login_required
def resend(slug: str, subscription_id: int, delivery_id: int):
    event = managed_event_or_404(slug)
    row = _subscription(event, subscription_id)
    call = lambda: subs.resend_delivery(  # noqa: E731
        row, delivery_id, current_user, now=now_utc()
    )
    if attempt_action(call):
        db.session.commit()
        flash(_("The delivery is queued again."), "success")
    return redirect(url_for(".deliveries", slug=slug, subscription_id=row.id))
