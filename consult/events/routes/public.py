"""Public pages: the list of events and an event's own page."""

from flask import current_app, render_template, send_from_directory
from flask_login import current_user

from consult.actions.services.public_plan import city_with_public_plan
from consult.contributions.services.calls import call_for, call_open
from consult.dashboard.services.dashboard import publication_of
from consult.events import bp
from consult.events.access import can_manage, visible_event_or_404
from consult.events.services import public_events
from consult.page_cache import anonymous_page_cache
from consult.registration.services.availability import availability
from consult.registration.services.seats import stakeholder_types
from consult.timeutil import now_utc


@bp.get("/")
def index():
    upcoming, past = public_events(now=now_utc())
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for /favicon.ico whatever the page declares.
    return send_from_directory(
        current_app.static_folder,
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400,
    )


@bp.get("/events/<slug>")
@anonymous_page_cache  # the same page for every anonymous visitor
def detail(slug: str):
    event = visible_event_or_404(slug)
    call = call_for(event)
    kinds = stakeholder_types(event)
    return render_template(
        "events/detail.html",
        event=event,
        kinds=kinds,
        seats=availability(event.id, kinds),
        is_organiser=can_manage(current_user, event),
        call=call,
        call_is_open=call_open(call, now_utc()),
        results_published=publication_of(event) is not None,
        plan_city=city_with_public_plan(event),
    )
