"""A registrant's survey data for their data export, and what erasure removes.

Named responses belong in the person's export. Anonymous responses cannot be
exported (nothing links them to the person); the export says which anonymous
surveys the person took part in. On erasure the registration is anonymised
and kept, and everything it answered by name goes: its named responses
(submitted or draft, with their answers), its participation records of named
surveys and its anonymous drafts. An erased registration counts nowhere
(consult.registration.counting), so nothing a figure uses is lost. Submitted
anonymous responses stay: nothing links them to the person, as the survey
promised when they answered.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import (
    Survey,
    SurveyDraft,
    SurveyParticipation,
    SurveyResponse,
)
from consult.surveys.scale import scale_texts
from consult.timeutil import iso_utc


def _scale_label(question, point) -> str:
    """A scale point's label in the language the data is read in."""
    texts = scale_texts(question, question.survey.event.default_language)
    return texts[int(point) - 1]


def _answer_text(answer) -> str:
    if answer.option is not None:
        if answer.question.kind == "ranking":
            return f"{answer.option.label}: {int(answer.number_value or 0)}"
        if answer.question.kind == "likert_matrix":
            label = _scale_label(answer.question, answer.number_value or 1)
            return f"{answer.option.label}: {label}"
        return answer.option.label
    if answer.text_value is not None:
        return answer.text_value
    if answer.question.kind == "likert" and answer.number_value:
        return _scale_label(answer.question, answer.number_value)
    value = answer.number_value
    return "" if value is None else f"{value:g}"


def export_survey_data(registration: Registration) -> list[dict]:
    """The person's named responses and drafts, and the anonymous surveys they answered."""
    found = []
    responses = db.session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.registration_id == registration.id)
        .order_by(SurveyResponse.survey_id)
    )
    for response in responses:
        by_question: dict[int, list[str]] = {}
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(_answer_text(answer))
        found.append(
            {
                "survey": response.survey.title,
                "status": response.status,
                "submitted_at": iso_utc(response.submitted_at)
                if response.submitted_at
                else None,
                "answers": [
                    {"question": q.text, "answer": by_question[q.id]}
                    for q in response.survey.questions
                    if q.id in by_question
                ],
            }
        )
    anonymous = db.session.scalars(
        select(Survey)
        .join(SurveyParticipation, SurveyParticipation.survey_id == Survey.id)
        .where(
            SurveyParticipation.registration_id == registration.id,
            Survey.anonymous.is_(True),
        )
        .order_by(Survey.id)
    )
    for survey in anonymous:
        found.append(
            {
                "survey": survey.title,
                "status": "submitted anonymously (answers are not linked to you)",
            }
        )
    return found


def erasure_counts(registration: Registration) -> tuple[int, int]:
    """What an erasure finds of the person here: (their responses given by
    name, which are deleted; the anonymous surveys they answered, whose
    answers stay as nothing links them to the person)."""
    named = db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(
            SurveyResponse.registration_id == registration.id,
            SurveyResponse.status != "draft",
        )
    )
    anonymous = db.session.scalar(
        select(func.count())
        .select_from(SurveyParticipation)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(
            SurveyParticipation.registration_id == registration.id,
            Survey.anonymous.is_(True),
        )
    )
    return named, anonymous


def erase_survey_drafts(registration: Registration) -> None:
    """Delete the person's unfinished drafts (named and anonymous); flushes."""
    db.session.execute(
        delete(SurveyDraft).where(SurveyDraft.registration_id == registration.id)
    )
    db.session.execute(
        delete(SurveyResponse).where(
            SurveyResponse.registration_id == registration.id,
            SurveyResponse.status == "draft",
        )
    )
    db.session.flush()


def erase_survey_answers(registration: Registration) -> None:
    """Delete everything the person answered by name, and their drafts; flushes.

    Their anonymous responses cannot be found and stay (see the docstring).
    """
    erase_survey_drafts(registration)
    named = select(Survey.id).where(Survey.anonymous.is_(False))
    db.session.execute(
        delete(SurveyParticipation).where(
            SurveyParticipation.registration_id == registration.id,
            SurveyParticipation.survey_id.in_(named),
        )
    )
    # Answers go with their response (ON DELETE CASCADE, and the ORM cascade).
    responses = list(
        db.session.scalars(
            select(SurveyResponse).where(
                SurveyResponse.registration_id == registration.id
            )
        )
    )
    for response in responses:
        db.session.delete(response)
    db.session.flush()
