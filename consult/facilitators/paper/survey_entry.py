"""Entering a paper survey sheet: the answers written on it, for the person
whose registration reference it carries, with channel 'paper' and the
account that typed it.

The answers go through the participant's own ``submit_response`` (the same
audience, window and validation; one answer per person), so a bad answer
saves nothing and the sheet stays open to be typed again. A person who has
answered already (on paper, online or with a facilitator) is refused; a
sheet entered already is refused (``mark_entered``).

**An anonymous survey's sheet stays unlinked.** The sheet must name the
person (their registration reference), or nobody could mark that they took
part, and a second sheet of theirs would count twice. What is kept:

- the person's SurveyParticipation says that they answered, on paper, with
  whom, on which day (the participant's rules: random id, day only);
- the response and its answers name nobody (random ids, the day only);
- the ``paper_sheets`` row keeps that it was entered and by whom, but NOT
  the person (``registration_id`` stays NULL), no response id, and its
  ``entered_at`` is the day only, like the participation and the response:
  nothing in the row orders against one response, or pairs with one person.

So neither the rows nor the exports (they read the response) link the
answers to the person. The paper itself carries the reference next to the
answers; the sheet says so, and it is for the organisers to keep or destroy
the papers after entry. A named survey's sheet keeps the person
(``registration_id``) and its response carries who typed it, how and when.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import PermissionDenied, Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.paper.entry import (
    PAPER,
    mark_entered,
    person_by_reference,
    sheet_to_enter,
)
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.surveys import participation_of
from consult.registration.models import Registration
from consult.surveys.models import Survey
from consult.surveys.services import submit_response
from consult.surveys.services.answering import start_of_day
from consult.surveys.services.answers import AnswersInvalid, Raw, parse_answers


def sheet_survey(event: Event, sheet: PaperSheet) -> Survey:
    """The survey a survey sheet was printed for, if it can still be entered."""
    survey = db.session.get(Survey, sheet.survey_id) if sheet.survey_id else None
    if survey is None or survey.event_id != event.id:
        raise ValidationFailed(_("The survey of this sheet was deleted."), "code")
    if survey.audience == "public":
        raise ValidationFailed(
            _("This survey is answered through its public link, not on paper."),
            "code",
        )
    return survey


def survey_sheet_to_enter(event: Event, actor, code: str):
    """The survey sheet named by ``code``, not entered yet, and its survey."""
    sheet = sheet_to_enter(event, actor, code, kind="S")
    return sheet, sheet_survey(event, sheet)


def check_survey_sheet(event: Event, actor, code: str, reference: str, raw: Raw):
    """The problems of the person's reference and of the answers written on
    a survey sheet, raised together; nothing written."""
    _sheet, survey = survey_sheet_to_enter(event, actor, code)
    _checked_sheet(survey, event, actor, reference, raw)


def _checked_sheet(survey: Survey, event: Event, actor, reference: str, raw: Raw):
    """The person, or a refusal with every problem: the reference's beside
    its field and the answers' by question (an AnswersInvalid then)."""
    problems = Problems()
    person = problems.take(person_by_reference, event, actor, reference)
    try:
        parse_answers(survey, raw, complete=True)
    except AnswersInvalid as exc:
        exc.problems = list(problems.found)
        raise
    problems.raise_any()
    return person


def enter_survey_sheet(
    event: Event,
    actor,
    code: str,
    reference: str,
    raw: Raw,
    *,
    now: datetime,
) -> tuple[PaperSheet, Registration]:
    """Submit the answers written on a survey sheet for the person it names."""
    sheet, survey = survey_sheet_to_enter(event, actor, code)
    person = _checked_sheet(survey, event, actor, reference, raw)
    if not survey.anonymous:
        # Two sheets of one person at once: the second waits here, then finds
        # the first one's answers (an editable survey would take both else).
        # An anonymous survey's participation key decides instead, with no
        # lock on the person's row in the transaction of the answers.
        db.session.execute(
            select(Registration.id)
            .where(Registration.id == person.id)
            .with_for_update()
        )
    if participation_of(survey, person) is not None:
        raise ValidationFailed(
            _("This person has already answered this survey."), "person"
        )
    mark_entered(sheet, actor, now=start_of_day(now) if survey.anonymous else now)
    try:
        response = submit_response(survey, person, raw, now=now)
    except PermissionDenied:  # not in the survey's audience: said on the field
        raise ValidationFailed(
            _("This survey is not open to this person."), "person"
        ) from None
    participation = participation_of(survey, person)
    participation.facilitated_by_id = actor.id
    participation.channel = PAPER
    # The day only for an anonymous survey, like responded_at.
    participation.facilitated_at = participation.responded_at
    if not survey.anonymous:
        response.facilitated_by_id = actor.id
        response.channel = PAPER
        response.facilitated_at = now
        sheet.registration_id = person.id
    db.session.flush()
    return sheet, person
