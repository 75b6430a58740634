"""The API's schemas of results: surveys, the organiser's dashboard figures,
and published results (the resources of consult/api/routes/surveys.py and
results.py; webhooks' are in schemas_webhooks.py).

Shares are numbers in percent as the pages show them (rounded the same way);
``None`` where the page shows a dash.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from consult.api.schemas import TypeRef, UTCDateTimeField
from consult.api.schemas_participation import ChallengeRef
from consult.surveys.models import AUDIENCES, QUESTION_KINDS, SURVEY_KINDS

SURVEY_STATES = ("not_scheduled", "scheduled", "open", "closed")


def _percent(**kwargs):
    return fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "Percent, as the page shows it."},
        **kwargs,
    )


def zone_field():
    return fields.String(
        required=True, metadata={"description": "The event's IANA time zone."}
    )


# ---- surveys ------------------------------------------------------------


class ResponseRate(ma.Schema):
    audience = fields.Integer(
        required=True, metadata={"description": "People in the survey's audience now."}
    )
    responded = fields.Integer(required=True)
    percent = _percent()


class TypeRate(ResponseRate):
    stakeholder_type = fields.Nested(TypeRef, required=True)


class SurveySummary(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SURVEY_KINDS))
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    anonymous = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(SURVEY_STATES))
    opens_at = UTCDateTimeField(allow_none=True, required=True)
    closes_at = UTCDateTimeField(allow_none=True, required=True)
    responses = fields.Integer(
        required=True, metadata={"description": "Submitted responses that count."}
    )
    response_rate = fields.Nested(
        ResponseRate,
        allow_none=True,
        required=True,
        metadata={"description": "None for a public-link survey (no audience)."},
    )
    results_hidden = fields.Boolean(
        required=True,
        metadata={
            "description": "An anonymous survey with fewer responses than "
            "`min_group_size`: no result is shown."
        },
    )
    event_timezone = zone_field()


class SurveyList(ma.Schema):
    items = fields.List(fields.Nested(SurveySummary), required=True)
    min_group_size = fields.Integer(required=True)


class ScalePoint(ma.Schema):
    value = fields.Float(required=True)
    count = fields.Integer(required=True)


class ChoiceRow(ma.Schema):
    option_id = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "None: the “Other, please specify” row."},
    )
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    percent = _percent()


class Nps(ma.Schema):
    promoters = fields.Integer(required=True)
    passives = fields.Integer(required=True)
    detractors = fields.Integer(required=True)
    score = fields.Integer(allow_none=True, required=True)


class StatementStats(ma.Schema):
    option_id = fields.Integer(required=True)
    label = fields.String(required=True)
    hidden = fields.Boolean(required=True)
    n = fields.Integer(required=True)
    mean = fields.Float(allow_none=True, required=True)
    median = fields.Float(allow_none=True, required=True)
    distribution = fields.List(fields.Nested(ScalePoint), required=True)


class RankItem(ma.Schema):
    option_id = fields.Integer(required=True)
    label = fields.String(required=True)
    mean_rank = fields.Float(allow_none=True, required=True)
    count = fields.Integer(required=True)
    rank_counts = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "How often at rank 1, 2, ..."},
    )


class QuestionStats(ma.Schema):
    """The figures of one question for one set of respondents: `n` always,
    then the fields of its kind (choices: `options`; Likert, rating, number:
    mean, median, distribution, and `nps` for a rating; Likert matrix:
    `statements`; ranking: `ranked`, best first; text: `n` only, no answer's text)."""

    n = fields.Integer(required=True)
    options = fields.List(fields.Nested(ChoiceRow))
    mean = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    distribution = fields.List(fields.Nested(ScalePoint))
    nps = fields.Nested(Nps)
    statements = fields.List(fields.Nested(StatementStats))
    ranked = fields.List(fields.Nested(RankItem))


class GroupResult(ma.Schema):
    stakeholder_type = fields.Nested(
        TypeRef,
        allow_none=True,
        required=True,
        metadata={"description": "None: responses without a type (public link)."},
    )
    label = fields.String(required=True)
    hidden = fields.Boolean(
        required=True,
        metadata={
            "description": "Not shown on its own, to protect anonymity: "
            "no `n`, no `stats`."
        },
    )
    n = fields.Integer(allow_none=True, required=True)
    stats = fields.Nested(QuestionStats, allow_none=True, required=True)


class QuestionResult(ma.Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS))
    n = fields.Integer(required=True, metadata={"description": "Respondents."})
    hidden = fields.Boolean(
        required=True,
        metadata={"description": "Answered by too few to show anything."},
    )
    headline = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The dashboard's one-line summary."},
    )
    overall = fields.Nested(QuestionStats, allow_none=True, required=True)
    groups = fields.List(fields.Nested(GroupResult), required=True)


class SurveyResults(ma.Schema):
    survey = fields.Nested(SurveySummary, required=True)
    min_group_size = fields.Integer(required=True)
    rates = fields.List(
        fields.Nested(TypeRate),
        required=True,
        metadata={"description": "Response rate per stakeholder type."},
    )
    questions = fields.List(
        fields.Nested(QuestionResult),
        required=True,
        metadata={"description": "Empty while `survey.results_hidden`."},
    )


# ---- dashboard ----------------------------------------------------------


class TypeRegistrations(ma.Schema):
    stakeholder_type = fields.Nested(TypeRef, required=True)
    confirmed = fields.Integer(required=True)
    waitlisted = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    share = _percent()
    target_share = fields.Integer(required=True)
    under_represented = fields.Boolean(required=True)
    small_group = fields.Boolean(required=True)


class DayCount(ma.Schema):
    day = fields.Date(
        required=True, metadata={"description": "In the event's time zone."}
    )
    count = fields.Integer(required=True)


class CountryCount(ma.Schema):
    code = fields.String(
        required=True, metadata={"description": "ISO 3166-1 alpha-2; '' not given."}
    )
    count = fields.Integer(required=True)


class Registrations(ma.Schema):
    total = fields.Integer(required=True)
    confirmed = fields.Integer(required=True)
    waitlisted = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    capacity = fields.Integer(allow_none=True, required=True)
    seats_left = fields.Integer(allow_none=True, required=True)
    by_type = fields.List(fields.Nested(TypeRegistrations), required=True)
    by_day = fields.List(fields.Nested(DayCount), required=True)
    countries = fields.List(fields.Nested(CountryCount), required=True)


class GroupAttendance(ma.Schema):
    """The dashboard's attendance of one stakeholder type."""

    stakeholder_type = fields.Nested(TypeRef, required=True)
    confirmed = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    percent = _percent()


class Attendance(ma.Schema):
    known = fields.Boolean(
        required=True, metadata={"description": "The event has started."}
    )
    confirmed = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    percent = _percent()
    by_type = fields.List(fields.Nested(GroupAttendance), required=True)


class InputCount(ma.Schema):
    challenge_id = fields.Integer(allow_none=True, required=True)
    kind = fields.String(required=True)
    stakeholder_type_id = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The author's type; None: an invited expert."},
    )
    state = fields.String(required=True)
    count = fields.Integer(required=True)


class Inputs(ma.Schema):
    total = fields.Integer(required=True)
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    counts = fields.List(fields.Nested(InputCount), required=True)
    challenges = fields.List(fields.Nested(ChallengeRef), required=True)


class DashboardSurvey(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    responses = fields.Integer(required=True)
    response_rate = fields.Nested(ResponseRate, allow_none=True, required=True)
    results_hidden = fields.Boolean(required=True)


class GroupVotes(ma.Schema):
    label = fields.String(required=True)
    votes = fields.Integer(required=True)


class LiveQuestion(ma.Schema):
    text = fields.String(required=True)
    state = fields.String(required=True)
    votes = fields.Integer(required=True)
    asked_by = fields.String(
        required=True, metadata={"description": "The asker's stakeholder group."}
    )
    by_group = fields.List(fields.Nested(GroupVotes), required=True)


class PollRow(ma.Schema):
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    share = fields.Integer(required=True)
    mean_rank = fields.Float(allow_none=True)


class PollFigures(ma.Schema):
    n = fields.Integer(required=True)
    mean = fields.Float(allow_none=True)
    rows = fields.List(fields.Nested(PollRow), required=True)


class PollGroup(PollFigures):
    label = fields.String(required=True)


class LivePoll(ma.Schema):
    prompt = fields.String(required=True)
    kind = fields.String(required=True)
    overall = fields.Nested(PollFigures, required=True)
    groups = fields.List(fields.Nested(PollGroup), allow_none=True, required=True)
    too_few = fields.Boolean(
        required=True, metadata={"description": "Too few answers to split by group."}
    )


class Live(ma.Schema):
    questions = fields.Integer(required=True)
    poll_count = fields.Integer(required=True)
    top_questions = fields.List(fields.Nested(LiveQuestion), required=True)
    closed_polls = fields.List(fields.Nested(LivePoll), required=True)


class Dashboard(ma.Schema):
    event_timezone = zone_field()
    min_group_size = fields.Integer(required=True)
    registrations = fields.Nested(Registrations, required=True)
    attendance = fields.Nested(Attendance, required=True)
    inputs = fields.Nested(Inputs, required=True)
    priority_ballots = fields.Integer(required=True)
    surveys = fields.List(fields.Nested(DashboardSurvey), required=True)
    live = fields.Nested(
        Live,
        allow_none=True,
        required=True,
        metadata={"description": "None when the event had no live session."},
    )


# ---- published results (the open-data document) -------------------------


class PublishedEvent(ma.Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)


class PublishedType(ma.Schema):
    label = fields.String(required=True)
    participants = fields.Integer(required=True)
    combined = fields.Boolean(required=True)


class PublishedCountry(ma.Schema):
    code = fields.String(allow_none=True, required=True)
    name = fields.String(required=True)
    participants = fields.Integer(required=True)


class PublishedChallenge(ma.Schema):
    title = fields.String(required=True)
    points = fields.Integer(required=True)
    share = fields.String(
        required=True, metadata={"description": "Percent, as a decimal string."}
    )


class PublishedPriorities(ma.Schema):
    method = fields.String(required=True)
    challenges = fields.List(fields.Nested(PublishedChallenge), required=True)


class PublishedTypePriorities(ma.Schema):
    label = fields.String(required=True)
    ballots = fields.Integer(required=True)
    shares = fields.List(fields.String(), required=True)


class PublishedInput(ma.Schema):
    title = fields.String(required=True)
    kind = fields.String(required=True)
    body = fields.String(required=True)
    organisation = fields.String()
    city = fields.String()
    country = fields.String()
    period = fields.String()
    results = fields.String()
    lead = fields.String()
    timeline = fields.String()
    author = fields.String(allow_none=True, required=True)
    author_organisation = fields.String(allow_none=True, required=True)
    is_expert = fields.Boolean(allow_none=True, required=True)


class PublishedGroup(ma.Schema):
    challenge = fields.String(allow_none=True, required=True)
    inputs = fields.List(fields.Nested(PublishedInput), required=True)


class PublishedResults(ma.Schema):
    """The public results page's latest version: the open-data JSON."""

    event = fields.Nested(PublishedEvent, required=True)
    event_timezone = zone_field()
    version = fields.Integer(required=True)
    published_at = fields.String(
        required=True, metadata={"description": "ISO 8601 in UTC (…Z)."}
    )
    counting_rule = fields.String(required=True)
    min_group_size = fields.Integer(required=True)
    note = fields.String(required=True)
    participants = fields.Integer(required=True)
    organisations = fields.Integer(required=True)
    countries_count = fields.Integer(required=True)
    published_inputs = fields.Integer(required=True)
    priority_ballots = fields.Integer(required=True)
    stakeholder_types = fields.List(fields.Nested(PublishedType), required=True)
    countries = fields.List(fields.Nested(PublishedCountry), required=True)
    priorities = fields.Nested(PublishedPriorities, allow_none=True, required=True)
    priorities_by_type = fields.List(
        fields.Nested(PublishedTypePriorities), required=True
    )
    selected_inputs = fields.List(fields.Nested(PublishedGroup), required=True)
