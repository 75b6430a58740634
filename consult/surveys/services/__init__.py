"""Survey services: builder and questions, answering, audience, links, reminders.

Services take the acting user or registration and ``now``, flush and never
commit; they raise consult.errors domain errors.
"""

from consult.surveys.services import cloning as _cloning  # noqa: F401 (clone part)
from consult.surveys.services.answering import (
    RegistrantState,
    can_change,
    check_can_answer,
    registrant_state,
    save_draft,
    submit_public,
    submit_response,
)
from consult.surveys.services.answers import (
    AnswersInvalid,
    parse_answers,
    raw_from_answers,
    raw_from_form,
)
from consult.surveys.services.audience import audience_registrations, in_audience
from consult.surveys.services.builder import (
    SurveyData,
    check_survey,
    create_survey,
    delete_survey,
    event_surveys,
    has_responses,
    submitted_count,
    survey_of,
    update_survey,
)
from consult.surveys.services.links import (
    personal_survey_url,
    post_event_survey,
    public_survey_url,
)
from consult.surveys.services.privacy import erase_survey_drafts, export_survey_data
from consult.surveys.services.questions import (
    OptionEdit,
    QuestionData,
    add_question,
    delete_question,
    move_question,
    question_of,
    update_question,
)
from consult.surveys.services.reminders import (
    SendReport,
    audience_size,
    draft_holders,
    enqueue_due_survey_reminders,
    non_responder_counts,
    non_responders,
    remind_non_responders,
    send_invitations,
)
from consult.surveys.services.tokens import registration_for_survey, survey_token

__all__ = [
    "AnswersInvalid",
    "OptionEdit",
    "QuestionData",
    "RegistrantState",
    "SendReport",
    "SurveyData",
    "add_question",
    "audience_registrations",
    "audience_size",
    "can_change",
    "check_can_answer",
    "check_survey",
    "create_survey",
    "delete_question",
    "delete_survey",
    "draft_holders",
    "enqueue_due_survey_reminders",
    "erase_survey_drafts",
    "export_survey_data",
    "event_surveys",
    "has_responses",
    "in_audience",
    "move_question",
    "non_responder_counts",
    "non_responders",
    "parse_answers",
    "personal_survey_url",
    "post_event_survey",
    "public_survey_url",
    "question_of",
    "raw_from_answers",
    "raw_from_form",
    "registrant_state",
    "registration_for_survey",
    "remind_non_responders",
    "save_draft",
    "send_invitations",
    "submit_public",
    "submit_response",
    "submitted_count",
    "survey_of",
    "survey_token",
    "update_question",
    "update_survey",
]
