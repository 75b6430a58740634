"""An event's surveys and their results by stakeholder type.

Only for a token whose owner manages the event (owner, co-organiser, admin);
any other event is 404. The figures are the organiser's dashboard's
(``consult.dashboard.services.surveys``), with the same small-group rule: an
anonymous survey shows nothing below the threshold and no group smaller
than it, and no text answer is ever given, only how many there are.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.routes.shapes import question_view, survey_view
from consult.api.schemas_results import SurveyList, SurveyResults
from consult.api.services.queries import event_types, managed_event
from consult.dashboard.services.surveys import (
    headline,
    survey_summaries,
    survey_summary,
)
from consult.errors import NotFound
from consult.surveys.results import load_survey, min_group_size
from consult.timeutil import now_utc

blp = ApiBlueprint(
    "api_surveys",
    __name__,
    url_prefix=PREFIX + "/events/<slug>/surveys",
    description="Surveys of an event you manage, with results by stakeholder type.",
)


@blp.route("")
@needs("results:read")
@blp.etag
@blp.response(200, SurveyList)
@document_errors(blp, 404)
def list_surveys(slug: str):
    """The event's surveys in the dashboard's order, with their responses
    and response rates."""
    event = managed_event(api_user(), slug)
    now = now_utc()
    return {
        "items": [survey_view(s, event, now) for s in survey_summaries(event)],
        "min_group_size": min_group_size(),
    }


@blp.route("/<int:survey_id>/results")
@needs("results:read")
@blp.etag
@blp.response(200, SurveyResults)
@document_errors(blp, 404)
def survey_results(slug: str, survey_id: int):
    """Each question's figures overall and per stakeholder type, as the
    survey's results page shows them: a group hidden to protect anonymity
    has no `n` and no `stats`; text questions give the number of answers."""
    event = managed_event(api_user(), slug)
    survey = load_survey(survey_id, event.id)
    if survey is None:
        raise NotFound(_("Not found, or not yours to see."))
    summary = survey_summary(survey)
    results = summary.results
    types = {kind.id: kind for kind in event_types(event)}
    shown = [] if results.hidden else results.questions
    return {
        "survey": survey_view(summary, event, now_utc()),
        "min_group_size": min_group_size(),
        "rates": [
            {
                "stakeholder_type": types[rate.group.key],
                "audience": rate.audience,
                "responded": rate.responded,
                "percent": rate.percent,
            }
            for rate in results.rates
        ],
        "questions": [question_view(q, types, headline(q)) for q in shown],
    }
