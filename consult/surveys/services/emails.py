"""Survey invitations and reminders, queued through the outbox."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.notifications.services import queue_email
from consult.notifications.unsubscribe import list_unsubscribe_url
from consult.registration.models import Registration
from consult.surveys.models import Survey
from consult.surveys.services.links import personal_survey_url
from consult.timeutil import format_in_two_zones

TEMPLATES = {"invitation": "survey_invitation", "reminder": "survey_reminder"}


def queue_survey_email(
    survey: Survey,
    registration: Registration,
    kind: str,
    *,
    dedup_key: str,
    now: datetime,
):
    """Queue an invitation or reminder to one registrant; None without an address."""
    if not registration.email or registration.erased_at is not None:
        return None
    event = survey.event
    zone = registration.timezone or event.timezone
    subject = (
        _("Your views, please: %(title)s")
        if kind == "invitation"
        else _("Reminder: %(title)s")
    )
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
    return queue_email(
        template=TEMPLATES[kind],
        to=registration.email,
        to_name=registration.full_name,
        subject=subject % {"title": survey.title},
        context=context,
        dedup_key=dedup_key,
        now=now,
        event=event,
        # A reminder is optional: one click stops the event's optional messages.
        list_unsubscribe=list_unsubscribe_url(registration)
        if kind == "reminder"
        else "",
    )
