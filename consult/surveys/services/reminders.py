"""Who has not answered, invitations, and reminders (by hand and automatic).

Every email goes through the outbox with a dedup key, so a double click, two
organisers or the scheduler racing an organiser send each message once:

- invitation: ``survey-invitation:<survey>:<registration>``, once per person;
- reminder: ``survey-reminder:<survey>:<registration>:<n>``, n = 1, 2, ... the
  person's n-th reminder for that survey. A person is reminded at most once
  a day by hand; the automatic reminder goes N days after the person's own
  invitation, only to those who have had no reminder yet (n = 1), which
  makes it idempotent.

Invitations and reminders are one sequence per person: the first message
that gave the person the survey's link (the invitation, or a follow-up after
the event that carries it) is recorded (``invitations.py``), reminders count
from it, and nobody who never had the link is reminded, by hand or not.

Non-responders of an anonymous survey: organisers see how many have not
answered, per stakeholder type, and may remind them, but not their names.
Participation says nothing about the answers, yet a list of who took part,
set against results split by stakeholder type, would let an organiser guess
whose answers a small group shows; people were promised anonymity, so the
names stay out of the page and only the reminder uses them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.errors import Conflict
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.surveys.models import Survey, SurveyParticipation, SurveyResponse
from consult.surveys.services.audience import audience_registrations
from consult.surveys.services.emails import queue_survey_email
from consult.surveys.services.invitations import (
    invited_at,
    lost_invitations,
    record_invitation,
)

REMIND_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class SendReport:
    queued: int
    # no address, unsubscribed, not invited yet, or reminded within the last day
    skipped: int


def _responded_ids(survey: Survey):
    return select(SurveyParticipation.registration_id).where(
        SurveyParticipation.survey_id == survey.id
    )


def non_responders(survey: Survey) -> list[Registration]:
    """The audience's registrants who have not submitted, by name."""
    query = audience_registrations(survey).where(
        Registration.id.not_in(_responded_ids(survey))
    )
    return list(db.session.scalars(query))


def draft_holders(survey: Survey) -> set[int]:
    """Registration ids with a saved, unsubmitted draft (named surveys only)."""
    if survey.anonymous:
        return set()  # their drafts are theirs alone; never shown to organisers
    return set(
        db.session.scalars(
            select(SurveyResponse.registration_id).where(
                SurveyResponse.survey_id == survey.id,
                SurveyResponse.status == "draft",
            )
        )
    )


def audience_size(survey: Survey) -> int:
    query = audience_registrations(survey).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


def non_responder_counts(survey: Survey) -> dict[str, int]:
    """Stakeholder type label -> how many of the audience have not answered."""
    counts = Counter(r.stakeholder_type.label for r in non_responders(survey))
    return dict(sorted(counts.items()))


def _reminder_history(survey: Survey) -> dict[int, tuple[int, datetime]]:
    """Registration id -> (reminders queued so far, when the last was queued)."""
    prefix = f"survey-reminder:{survey.id}:"
    rows = db.session.execute(
        select(OutboundEmail.dedup_key, OutboundEmail.created_at).where(
            OutboundEmail.dedup_key.startswith(prefix, autoescape=True)
        )
    )
    history: dict[int, tuple[int, datetime]] = {}
    for key, created_at in rows:
        reg_part = key[len(prefix) :].split(":", 1)[0]
        if not reg_part.isdigit():
            continue
        count, last = history.get(int(reg_part), (0, created_at))
        history[int(reg_part)] = (count + 1, max(last, created_at))
    return history


def _require_open(survey: Survey, now: datetime) -> None:
    if survey.audience == "public":
        raise Conflict(_("A public-link survey has no list of people to write to."))
    if not survey.is_open(now):
        raise Conflict(_("Emails go out only while the survey is open."))


def remind_non_responders(survey: Survey, actor, *, now: datetime) -> SendReport:
    """Queue a reminder to each invited non-responder not reminded within a day.

    A person never given the survey's link is not reminded of it (they are
    counted as skipped; the invitation is the button beside this one).
    """
    require_manager(actor, survey.event)
    _require_open(survey, now)
    history = _reminder_history(survey)
    invited = invited_at(survey.id, sent_only=True)
    queued = skipped = 0
    for registration in non_responders(survey):
        count, last = history.get(registration.id, (0, None))
        if (
            registration.messages_opted_out_at is not None
            or registration.id not in invited
        ) or (last is not None and now - last < REMIND_INTERVAL):
            skipped += 1
            continue
        key = f"survey-reminder:{survey.id}:{registration.id}:{count + 1}"
        if queue_survey_email(survey, registration, "reminder", dedup_key=key, now=now):
            queued += 1
        else:
            skipped += 1
    db.session.flush()
    return SendReport(queued, skipped)


def send_invitations(survey: Survey, actor, *, now: datetime) -> SendReport:
    """Invite every non-responder of the audience, once per person.

    Someone who already has the link (invited, or sent a follow-up carrying
    it) is not invited again, unless that message never left and never will
    (cancelled on the outbox page, failed): then they are invited anew. Each
    invitation is recorded as the start of the person's sequence.
    """
    require_manager(actor, survey.event)
    _require_open(survey, now)
    invited = invited_at(survey.id)
    lost = lost_invitations(survey.id)
    queued = skipped = 0
    for registration in non_responders(survey):
        key = f"survey-invitation:{survey.id}:{registration.id}"
        earlier = lost.get(registration.id)
        if earlier is not None:
            # Their invitation never left (the organiser cancelled it, or it
            # failed): a new one, under a key of its own.
            key = f"{key}:{earlier.email_id}"
            already = False
        else:
            already = registration.id in invited or db.session.scalar(
                select(OutboundEmail.id).where(OutboundEmail.dedup_key == key)
            )
        email_id = None
        if not already:
            email_id = queue_survey_email(
                survey, registration, "invitation", dedup_key=key, now=now
            )
        if email_id is not None and earlier is not None:
            earlier.invited_at, earlier.email_id = now, email_id
            earlier.via = "invitation"
            queued += 1
        elif email_id is not None:
            record_invitation(
                survey.id,
                registration.id,
                now=now,
                via="invitation",
                email_id=email_id,
            )
            queued += 1
        else:
            skipped += 1
    db.session.flush()
    return SendReport(queued, skipped)


def enqueue_due_survey_reminders(now: datetime) -> int:
    """Queue the automatic reminders that are due; returns how many were queued.

    A person's reminder is due ``reminder_after_days`` after their invitation
    (or the follow-up that carried the link), while the survey is open; it
    goes to invited non-responders who have had no reminder yet. Running it
    again queues nothing new. Flushes; the caller commits.
    """
    surveys = db.session.scalars(
        select(Survey)
        .join(Event, Event.id == Survey.event_id)
        .where(
            Survey.reminder_after_days.is_not(None),
            Survey.audience != "public",
            Survey.opens_at.is_not(None),
            Survey.opens_at <= now,
            Event.status == "published",
            # An organiser paused the event's scheduled messages.
            Event.messages_paused_at.is_(None),
        )
        .order_by(Survey.id)
    )
    queued = 0
    for survey in surveys:
        if not survey.is_open(now):
            continue
        wait = timedelta(days=survey.reminder_after_days)
        invited = {
            registration_id: when
            for registration_id, when in invited_at(survey.id, sent_only=True).items()
            if when + wait <= now
        }
        if not invited:
            continue
        history = _reminder_history(survey)
        for registration in non_responders(survey):
            if (
                registration.id in history
                or registration.id not in invited
                or registration.messages_opted_out_at
            ):
                continue
            key = f"survey-reminder:{survey.id}:{registration.id}:1"
            if queue_survey_email(
                survey, registration, "reminder", dedup_key=key, now=now
            ):
                queued += 1
    db.session.flush()
    return queued
