"""An event's figures: the organiser's dashboard, and the published results.

The dashboard's figures need a token whose owner manages the event (any
other event is 404); the published results are what the public results page
shows, to any token, and 404 until they are published.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.routes.shapes import dashboard_view
from consult.api.schemas_results import Dashboard, PublishedResults
from consult.api.services.queries import managed_event, visible_event
from consult.dashboard.services.dashboard import dashboard_data
from consult.errors import NotFound
from consult.live.services.summary import live_summary
from consult.opendata.services import published_results
from consult.timeutil import now_utc

blp = ApiBlueprint(
    "api_results",
    __name__,
    url_prefix=PREFIX + "/events/<slug>",
    description="An event's figures: the organiser's dashboard, published results.",
)


@blp.route("/dashboard")
@needs("results:read")
@blp.etag
@blp.response(200, Dashboard)
@document_errors(blp, 404)
def dashboard(slug: str):
    """The figures of the organiser's dashboard: registrations by status and
    stakeholder type, attendance, inputs, priority ballots, survey responses
    and the live session's summary."""
    event = managed_event(api_user(), slug)
    return dashboard_view(dashboard_data(event, now=now_utc()), live_summary(event))


@blp.route("/results")
@needs("results:read")
@blp.etag
@blp.response(200, PublishedResults)
@document_errors(blp, 404)
def published(slug: str):
    """The published results (the latest version of the public results page,
    as its open-data JSON): small groups combined, no personal data."""
    event = visible_event(api_user(), slug)
    data = published_results(event)
    if data is None:
        raise NotFound(_("Not found, or not yours to see."))
    return {**data, "event_timezone": event.timezone}
