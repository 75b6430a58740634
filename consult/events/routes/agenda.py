"""Organiser pages for an event's agenda: sessions and their speakers."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action, submit
from consult.events import bp
from consult.events.access import managed_event_or_404
from consult.events.forms import SessionForm
from consult.events.models import AgendaSession
from consult.events.services import (
    add_session,
    check_session,
    delete_session,
    update_session,
)
from consult.extensions import db
from consult.forms import WallClockField, render_form
from consult.timeutil import now_utc

DEFAULT_SESSION_LENGTH = timedelta(minutes=30)


def _session_or_404(event, session_id: int) -> AgendaSession:
    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def _next_slot(event) -> dict:
    """Suggest the gap after the last session, so sessions follow each other."""
    if not event.agenda_in_range:
        return {}  # stored before dates were bounded: nothing to suggest
    start = event.sessions[-1].end_at if event.sessions else event.start_at
    start = min(start, event.end_at - timedelta(minutes=1))
    end = min(start + DEFAULT_SESSION_LENGTH, event.end_at)
    zone = event.timezone
    return {
        "start": WallClockField.from_instant(start, zone),
        "end": WallClockField.from_instant(end, zone),
    }


@bp.get("/manage/events/<slug>/agenda")
@login_required
def agenda(slug: str):
    event = managed_event_or_404(slug)
    return render_template("events/manage/agenda.html", event=event)


@bp.route("/manage/events/<slug>/agenda/new", methods=["GET", "POST"])
@login_required
def session_new(slug: str):
    event = managed_event_or_404(slug)
    form = (
        SessionForm()
        if request.method == "POST"
        else SessionForm(data=_next_slot(event))
    )
    if submit(
        form,
        lambda: add_session(event, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_session(event, form.to_data()),
    ):
        db.session.commit()
        flash(_("Session added to the agenda."), "success")
        return redirect(url_for("events.agenda", slug=slug))
    return render_form(
        "events/manage/session_form.html", form, event=event, session=None
    )


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(slug: str, session_id: int):
    event = managed_event_or_404(slug)
    session = _session_or_404(event, session_id)
    if request.method == "POST":
        form = SessionForm()
    else:
        form = SessionForm.for_session(session)
    if submit(
        form,
        lambda: update_session(session, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_session(session.event, form.to_data()),
    ):
        db.session.commit()
        flash(_("Session saved."), "success")
        return redirect(url_for("events.agenda", slug=slug))
    return render_form(
        "events/manage/session_form.html", form, event=event, session=session
    )


@bp.post("/manage/events/<slug>/agenda/<int:session_id>/delete")
@login_required
def session_delete(slug: str, session_id: int):
    event = managed_event_or_404(slug)
    session = _session_or_404(event, session_id)
    title = session.title
    if attempt_action(lambda: delete_session(session, current_user, now=now_utc())):
        db.session.commit()
        flash(_("Session “%(title)s” removed.", title=title), "success")
    return redirect(url_for("events.agenda", slug=slug))
