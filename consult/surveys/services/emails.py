"""Survey invitations and reminders: queued as a row, composed by the sender.

Queueing inserts one outbox row naming the kind, the survey and the
registration (no rendering); the sender composes it when its turn comes
(``compose_survey_email``), or withdraws it when it is no longer right: the
person answered, left the survey's audience or erased their data, the survey
closed or the event was cancelled meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select

from consult.content import text_in
from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.composers import Composed, Withdrawn, register_composer
from consult.notifications.models import OutboundEmail
from consult.notifications.services import queue_composed_email_id, render_bodies
from consult.notifications.unsubscribe import list_unsubscribe_url
from consult.registration.models import Registration
from consult.registration.services.emails import addressed_registration
from consult.surveys.models import Survey, SurveyParticipation
from consult.surveys.services.audience import in_audience
from consult.surveys.services.links import personal_survey_url
from consult.timeutil import format_in_two_zones

TEMPLATES = {"invitation": "survey_invitation", "reminder": "survey_reminder"}
COMPOSER = "survey"
# Bumped when what the composer needs from ``params`` changes.
TEMPLATE_VERSION = 1


def _subject(kind: str, survey: Survey) -> str:
    subject = (
        _("Your views, please: %(title)s")
        if kind == "invitation"
        else _("Reminder: %(title)s")
    )
    return subject % {"title": text_in(survey, "title")}


def queue_survey_email(
    survey: Survey,
    registration: Registration,
    kind: str,
    *,
    dedup_key: str,
    now: datetime,
) -> int | None:
    """Queue an invitation or reminder to one registrant: the row's id; None
    without an address or when the key was taken."""
    if kind not in TEMPLATES:
        raise ValueError(f"unknown survey email {kind!r}")
    if not registration.email or registration.erased_at is not None:
        return None
    return queue_composed_email_id(
        composer=COMPOSER,
        template=TEMPLATES[kind],
        to=registration.email,
        to_name=registration.full_name,
        subject=_subject(kind, survey),
        params={"kind": kind, "survey": survey.id, "version": TEMPLATE_VERSION},
        dedup_key=dedup_key,
        now=now,
        event_id=survey.event_id,
        registration_id=registration.id,
        # A reminder is optional: one click stops the event's optional messages.
        list_unsubscribe=list_unsubscribe_url(registration)
        if kind == "reminder"
        else "",
    )


def compose_survey_email(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued survey email, from the survey and person as they are now."""
    params = row.params or {}
    kind = params.get("kind")
    if kind not in TEMPLATES:
        raise ValueError(f"unknown survey email {kind!r}")
    survey = db.session.get(Survey, params.get("survey") or 0)
    if survey is None:
        raise Withdrawn(_("The survey was deleted before this message left."))
    registration = addressed_registration(row)
    if kind == "reminder" and registration.messages_opted_out_at is not None:
        raise Withdrawn(
            _("The person unsubscribed from this event's messages before it left.")
        )
    if survey.event.is_cancelled:
        raise Withdrawn(_("The event was cancelled before this message left."))
    if not survey.is_open(now):
        raise Withdrawn(_("The survey was closed before this message left."))
    if not in_audience(survey, registration):
        raise Withdrawn(
            _("The person was no longer among the survey's audience when it left.")
        )
    answered = exists().where(
        SurveyParticipation.survey_id == survey.id,
        SurveyParticipation.registration_id == registration.id,
    )
    if db.session.scalar(select(answered)):
        raise Withdrawn(_("The person answered before this message left."))
    return survey_email_text(survey, registration, kind)


def survey_email_text(
    survey: Survey, registration: Registration, kind: str
) -> Composed:
    """The invitation or reminder for one registrant (no check that it fits),
    in their language."""
    event = survey.event
    zone = registration.timezone or event.timezone
    with composing_for(registration) as language:
        context = {
            "registration": registration,
            "event": event,
            "survey": survey,
            "survey_url": personal_survey_url(survey, registration),
            "closes": (
                format_in_two_zones(survey.closes_at, zone, event.timezone)
                if survey.closes_at
                else ""
            ),
            "event_when": format_in_two_zones(event.start_at, zone, event.timezone),
            "question_count": len(survey.questions),
        }
        body_text, body_html = render_bodies(
            TEMPLATES[kind], context, language=language
        )
        subject = _subject(kind, survey)
    return Composed(
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
    )


register_composer(COMPOSER, compose_survey_email)
