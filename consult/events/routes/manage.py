"""Organiser pages for an event: list, create, overview, edit, lifecycle."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.addresses import site_sender
from consult.attempts import attempt, attempt_action, submit
from consult.auth.access import require_organiser_account
from consult.dial_in import dial_in_for
from consult.events import bp
from consult.events.access import managed_event_or_404
from consult.events.forms import CancelForm, CloneForm, EmailSenderForm, EventForm
from consult.events.services import (
    cancel_event,
    check_clone,
    check_event,
    clone_event,
    create_event,
    managed_events,
    publish_event,
    update_event,
)
from consult.events.services.languages import missing_counts
from consult.events.services.sender import set_event_sender
from consult.extensions import db
from consult.forms import render_form
from consult.programmes.services.queries import programme_choices
from consult.registration.services.change_preview import preview_event_change
from consult.registration.services.event_changes import (
    calendar_snapshot,
    concerned_registrants,
    queue_calendar_cancellations,
    queue_calendar_updates,
)
from consult.timeutil import now_utc


def flash_if_past(event, now) -> None:
    """Saving an event that starts in the past is allowed (a record of a past
    meeting), but is more often a typo in the year: say so."""
    if event.start_at < now:
        flash(
            _(
                "Note: this event starts in the past. Check the date if that is "
                "not intended."
            ),
            "warning",
        )


@bp.get("/manage/")
@login_required
def manage_index():
    require_organiser_account()
    events = managed_events(current_user)
    return render_template("events/manage/index.html", events=events, now=now_utc())


@bp.route("/manage/events/new", methods=["GET", "POST"])
@login_required
def create():
    require_organiser_account()
    form = EventForm()
    form.set_programme_choices(programme_choices(current_user, None))
    now = now_utc()
    outcome = submit(
        form,
        lambda: create_event(current_user, form.to_data(), now=now),
        check=lambda: check_event(form.to_data()),
    )
    if outcome:
        db.session.commit()
        event = outcome.value
        flash(_("Draft saved. Add the agenda, then publish when ready."), "success")
        flash_if_past(event, now)
        return redirect(url_for("events.manage_event", slug=event.slug))
    return render_form("events/manage/form.html", form, event=None)


@bp.get("/manage/events/<slug>/")
@login_required
def manage_event(slug: str):
    event = managed_event_or_404(slug)
    return render_template(
        "events/manage/overview.html",
        event=event,
        now=now_utc(),
        dial_in=dial_in_for(event),
    )


@bp.route("/manage/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Save an edit; one that emails registrants (a move, a new title or
    link) first says so in numbers, and saves when that is confirmed."""
    event = managed_event_or_404(slug)
    form = EventForm() if request.method == "POST" else EventForm.for_event(event)
    form.set_programme_choices(programme_choices(current_user, event))
    now = now_utc()
    before = calendar_snapshot(event)

    def apply():
        update_event(event, current_user, form.to_data(), now=now)

    def save():
        apply()
        queue_calendar_updates(event, before, now=now)

    change = _previewed(form, event, before, apply, now)
    if change and _confirmed(change) and attempt(form, save):
        db.session.commit()
        flash(_("Changes saved."), "success")
        flash_if_past(event, now)
        return redirect(url_for("events.manage_event", slug=event.slug))
    if change:
        db.session.rollback()  # the preview wrote only inside its savepoint
    page, status = render_form(
        "events/manage/form.html",
        form,
        event=event,
        missing=missing_counts(event),
        change=change or None,
    )
    return page, 200 if change and not form.errors else status


def _previewed(form, event, before, apply, now):
    """What the edit sends, or None when it is refused (every problem said on
    the form: the form's own checks and the service's together)."""
    outcome = submit(
        form,
        lambda: preview_event_change(event, before, apply, now=now),
        check=lambda: check_event(form.to_data(), event=event),
    )
    return outcome.value if outcome else None


def _confirmed(change) -> bool:
    """Nothing to confirm, or the organiser confirmed these very numbers."""
    shown = request.form.get("confirm_change")
    return not change.needs_confirmation or shown == change.fingerprint


@bp.post("/manage/events/<slug>/publish")
@login_required
def publish(slug: str):
    event = managed_event_or_404(slug)
    if attempt_action(lambda: publish_event(event, current_user, now=now_utc())):
        db.session.commit()
        flash(_("The event is published and listed on the public pages."), "success")
    return redirect(url_for("events.manage_event", slug=slug))


@bp.route("/manage/events/<slug>/cancel", methods=["GET", "POST"])
@login_required
def cancel(slug: str):
    event = managed_event_or_404(slug)
    form = CancelForm()
    now = now_utc()

    def cancel_and_tell():
        cancel_event(event, current_user, form.reason.data, now=now)
        queue_calendar_cancellations(event, now=now)

    if form.validate_on_submit() and attempt(form, cancel_and_tell):
        db.session.commit()
        flash(_("The event is cancelled. Its page now says so."), "success")
        return redirect(url_for("events.manage_event", slug=slug))
    # The people queue_calendar_cancellations tells, counted the same way.
    told = len(concerned_registrants(event))
    return render_form("events/manage/cancel.html", form, event=event, told=told)


@bp.route("/manage/events/<slug>/clone", methods=["GET", "POST"])
@login_required
def clone(slug: str):
    """Ask which parts of the set-up to copy, then make the new draft."""
    event = managed_event_or_404(slug)
    form = CloneForm.for_parts()
    outcome = submit(
        form,
        lambda: clone_event(event, current_user, now=now_utc(), parts=form.chosen()),
        check=lambda: check_clone(event, form.chosen()),
    )
    if not outcome:
        return render_form("events/manage/clone.html", form, event=event)
    db.session.commit()
    flash(
        _("A new draft was made from “%(title)s”. Check its dates.", title=event.title),
        "success",
    )
    return redirect(url_for("events.edit", slug=outcome.value.slug))


@bp.route("/manage/events/<slug>/email-sender", methods=["GET", "POST"])
@login_required
def email_sender(slug: str):
    """The sender name and Reply-To of every email of the event."""
    event = managed_event_or_404(slug)
    form = EmailSenderForm()
    if request.method == "GET":
        form.sender_name.data = event.email_sender_name
        form.reply_to.data = event.email_reply_to
    saved = form.validate_on_submit() and attempt(
        form,
        lambda: set_event_sender(
            event, current_user, name=form.sender_name.data, reply_to=form.reply_to.data
        ),
    )
    if saved:
        db.session.commit()
        flash(_("Saved: the event’s next emails use this sender."), "success")
        return redirect(
            url_for("events.email_sender", slug=slug, back=request.args.get("back"))
        )
    return render_form(
        "events/manage/email_sender.html",
        form,
        event=event,
        site=site_sender(),
        back=request.args.get("back") == "message",
    )
