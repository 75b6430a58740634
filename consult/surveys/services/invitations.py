"""When each person was first given a survey's link: the start of their sequence.

An invitation is recorded when the survey's invitation is queued, or a
follow-up after the event that carries the survey's link (whichever comes
first; later ones change nothing). Reminders count from when that message
left and go only to people it reached (``invited_at(sent_only=True)``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.surveys.models import SurveyInvitation


def record_invitation(
    survey_id: int,
    registration_id: int,
    *,
    now: datetime,
    via: str,
    email_id: int | None = None,
) -> SurveyInvitation:
    """The person's invitation to the survey, recorded now unless they had one."""
    existing = invitation_of(survey_id, registration_id)
    if existing is not None:
        return existing
    invitation = SurveyInvitation(
        survey_id=survey_id,
        registration_id=registration_id,
        invited_at=now,
        via=via,
        email_id=email_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
    except IntegrityError:
        # Recorded by a concurrent transaction first: its time stands.
        return invitation_of(survey_id, registration_id)
    return invitation


def invitation_of(survey_id: int, registration_id: int) -> SurveyInvitation | None:
    return db.session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey_id,
            SurveyInvitation.registration_id == registration_id,
        )
    )


# A message in one of these states never gave anybody the link, and never will.
LOST_STATUSES = ("failed", "expired", "withdrawn")


def lost_invitations(survey_id: int) -> dict[int, SurveyInvitation]:
    """Registration id -> their recorded invitation whose message never left
    and never will (withdrawn by the organiser, failed, expired): they may be
    invited again, and their sequence starts from the new one."""
    rows = db.session.scalars(
        select(SurveyInvitation)
        .join(OutboundEmail, OutboundEmail.id == SurveyInvitation.email_id)
        .where(
            SurveyInvitation.survey_id == survey_id,
            OutboundEmail.status.in_(LOST_STATUSES),
        )
    )
    return {row.registration_id: row for row in rows}


def invited_at(survey_id: int, *, sent_only: bool = False) -> dict[int, datetime]:
    """Registration id -> when it was first given the survey's link.

    ``sent_only``: only the invitations whose message has left, timed from
    when it left (a held, withdrawn or failed one gave nobody the link, and
    a reminder must not arrive before or with it); invitations recorded
    without a message (from before messages were linked) count as recorded.
    """
    when = SurveyInvitation.invited_at
    query = select(SurveyInvitation.registration_id, when).where(
        SurveyInvitation.survey_id == survey_id
    )
    if sent_only:
        query = (
            select(
                SurveyInvitation.registration_id,
                func.coalesce(OutboundEmail.sent_at, when),
            )
            .outerjoin(OutboundEmail, OutboundEmail.id == SurveyInvitation.email_id)
            .where(
                SurveyInvitation.survey_id == survey_id,
                or_(
                    SurveyInvitation.email_id.is_(None),
                    OutboundEmail.status == "sent",
                ),
            )
        )
    return dict(db.session.execute(query).all())
