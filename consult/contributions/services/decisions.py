"""Decisions on proposals, and placing accepted ones in the agenda.

Accepting turns a proposal into an agenda session with its speakers, made
through the events services. A slot that overlaps other sessions or lies
outside the event is a warning the organiser confirms, not a refusal; since
the events service keeps sessions inside the event, a confirmed slot outside
it is written here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import ngettext
from icalendar import Event as VEvent

from consult.calendar.ics import (
    attendee,
    new_calendar,
    serialise,
    session_component,
)
from consult.content import text_in
from consult.contributions.models import Proposal
from consult.contributions.services.common import lock_proposal, proposal_url
from consult.contributions.services.review import DECISIONS, clean_message
from consult.errors import Conflict, Problems
from consult.events.access import require_manager
from consult.events.models import AgendaSession, Speaker
from consult.events.services import (
    SessionData,
    SpeakerData,
    add_session,
    update_session,
)
from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.services import EmailAttachment, queue_email
from consult.timeutil import format_in_two_zones, format_range, format_time, to_utc

DECISION_SUBJECTS = {
    "accepted": lambda: _("Your proposal is accepted: %(title)s"),
    "rejected": lambda: _("About your proposal for %(title)s"),
    "reserve": lambda: _("Your proposal is on the reserve list: %(title)s"),
}


class SlotNeedsConfirmation(Conflict):
    """The slot overlaps other sessions or lies outside the event."""

    def __init__(self, warnings: list[str]):
        super().__init__(" ".join(warnings), field="start")
        self.warnings = warnings


def slot_warnings(event, start: datetime, end: datetime, *, exclude=None) -> list[str]:
    """Why a slot may be a mistake: overlaps with sessions, or outside the event."""
    zone = event.timezone
    warnings = []
    if start < event.start_at or end > event.end_at:
        warnings.append(
            _(
                "This slot lies outside the event (%(window)s).",
                window=format_range(event.start_at, event.end_at, zone),
            )
        )
    for session in event.sessions:
        if exclude is not None and session.id == exclude.id:
            continue
        if session.start_at < end and start < session.end_at:
            warnings.append(
                _(
                    "It overlaps “%(title)s” (%(start)s–%(end)s).",
                    title=session.title,
                    start=format_time(session.start_at, zone),
                    end=format_time(session.end_at, zone),
                )
            )
    return warnings


def suggest_start(event, minutes: int, *, exclude=None) -> datetime:
    """The first gap in the agenda long enough for the slot, else after the last."""
    candidate = event.start_at
    length = timedelta(minutes=minutes)
    sessions = sorted(
        (s for s in event.sessions if exclude is None or s.id != exclude.id),
        key=lambda s: s.start_at,
    )
    for session in sessions:
        if candidate + length <= session.start_at:
            return candidate
        candidate = max(candidate, session.end_at)
    return candidate


def _session_data(proposal: Proposal, start: datetime, end: datetime) -> SessionData:
    return SessionData(
        title=proposal.title,
        start=start,
        end=end,
        description=proposal.abstract_md,
        speakers=[
            SpeakerData(
                name=s.name,
                affiliation=s.affiliation,
                city=s.city,
                country=s.country,
                bio=s.bio,
            )
            for s in proposal.speakers
        ],
    )


def _write_session(proposal: Proposal, actor, start, end, *, now) -> AgendaSession:
    event = proposal.event
    data = _session_data(proposal, start, end)
    inside = event.start_at <= start and end <= event.end_at
    session = proposal.session
    if inside:
        if session is None:
            return add_session(event, actor, data, now=now)
        return update_session(session, actor, data, now=now)
    # Confirmed outside the event: the events service would refuse it.
    if session is None:
        session = AgendaSession(event=event)
        db.session.add(session)
    session.title = proposal.title[:200]
    session.description_md = proposal.abstract_md
    session.start_at, session.end_at = start, end
    session.speakers = [
        Speaker(
            name=s.name,
            affiliation=s.affiliation,
            city=s.city,
            country=s.country,
            bio=s.bio,
            position=i,
        )
        for i, s in enumerate(proposal.speakers)
    ]
    event.updated_at = now
    db.session.flush()
    return session


def _slot(proposal: Proposal, start: datetime | None) -> tuple[datetime, datetime]:
    start_at = to_utc(start, proposal.event.timezone, "start", required=True)
    return start_at, start_at + timedelta(minutes=proposal.duration_minutes)


def place_proposal(
    proposal: Proposal, actor, start, *, now: datetime, confirm: bool = False
) -> AgendaSession:
    """Put an accepted proposal in a slot (or move it) and tell its speakers."""
    require_manager(actor, proposal.event)
    lock_proposal(proposal)
    if proposal.status != "accepted":
        raise Conflict(_("Only accepted proposals are placed in the agenda."))
    start_at, end_at = _slot(proposal, start)
    warnings = slot_warnings(proposal.event, start_at, end_at, exclude=proposal.session)
    if warnings and not confirm:
        raise SlotNeedsConfirmation(warnings)
    unchanged = proposal.session is not None and (
        proposal.session.start_at,
        proposal.session.end_at,
    ) == (start_at, end_at)
    session = _write_session(proposal, actor, start_at, end_at, now=now)
    proposal.session = session
    proposal.updated_at = now
    if not unchanged:
        proposal.schedule_sequence += 1
    db.session.flush()
    _queue_speaker_emails(proposal, now=now)
    return session


def remove_from_agenda(proposal: Proposal, *, now: datetime) -> None:
    """Take the proposal's session out of the agenda; speakers get a cancellation."""
    session = proposal.session
    if session is None:
        return
    proposal.schedule_sequence += 1
    _queue_speaker_emails(proposal, now=now, method="CANCEL")
    proposal.session = None
    db.session.flush()
    proposal.event.sessions.remove(session)
    proposal.event.updated_at = now
    db.session.flush()


def check_decision(proposal: Proposal, decision: str, message: str, start) -> str:
    """The decision's message as sent, or ValidationFailed with every problem
    of the input (the decision, the message, an acceptance's slot) together;
    nothing written. The slot's warnings come when it is placed."""
    problems = Problems()
    if decision not in DECISIONS:
        problems.add(_("Choose accept, reject or reserve."), "decision")
    message = problems.take(clean_message, message)
    if decision == "accepted":
        problems.take(_slot, proposal, start)
    problems.raise_any()
    return message


def decide(
    proposal: Proposal,
    actor,
    decision: str,
    message: str = "",
    *,
    now: datetime,
    start=None,
    confirm: bool = False,
) -> Proposal:
    """Accept (placing it in a slot), reject or keep in reserve; emails the proposer."""
    require_manager(actor, proposal.event)
    message = check_decision(proposal, decision, message, start)
    lock_proposal(proposal)
    if proposal.status == "withdrawn":
        raise Conflict(_("This proposal was withdrawn by its proposer."))
    if decision == "accepted":
        proposal.status = "accepted"
        place_proposal(proposal, actor, start, now=now, confirm=confirm)
    else:
        remove_from_agenda(proposal, now=now)
        proposal.status = decision
    proposal.decision_message = message
    proposal.decided_at = now
    proposal.decided_by_id = actor.id
    proposal.decision_count += 1
    proposal.updated_at = now
    db.session.flush()
    _queue_decision_email(proposal, now=now)
    return proposal


def default_message(proposal: Proposal, decision: str) -> str:
    """An editable starting text for the decision email."""
    title = proposal.title
    if decision == "accepted":
        return _(
            "Thank you for your proposal “%(title)s”: we are glad to include it in "
            "the programme. The speakers will receive their slot and a calendar "
            "invitation.",
            title=title,
        )
    if decision == "reserve":
        return _(
            "Thank you for your proposal “%(title)s”. The programme is full for now; "
            "we keep your proposal on our reserve list and will contact you if a "
            "slot becomes free.",
            title=title,
        )
    return _(
        "Thank you for your proposal “%(title)s”. We received many strong "
        "proposals and could not include yours in this programme.",
        title=title,
    )


def _slot_text(proposal: Proposal) -> str:
    """The slot in the first speaker's zone and the event's, or ''."""
    session, event = proposal.session, proposal.event
    if session is None:
        return ""
    zone = proposal.speakers[0].timezone if proposal.speakers else event.timezone
    return ngettext(
        "%(start)s, for %(num)d minute",
        "%(start)s, for %(num)d minutes",
        int((session.end_at - session.start_at).total_seconds() // 60),
        start=format_in_two_zones(session.start_at, zone, event.timezone),
    )


def _queue_decision_email(proposal: Proposal, *, now: datetime) -> None:
    if proposal.erased:
        return  # the proposer erased their data: there is no one to tell
    event = proposal.event
    # Subject, slot and body in the proposer's language, whoever decides.
    with composing_for(proposal) as language:
        queue_email(
            template="contribution_decision",
            to=proposal.proposer_email,
            to_name=proposal.proposer_name,
            subject=DECISION_SUBJECTS[proposal.status]()
            % {"title": text_in(event, "title")},
            context={
                "proposal": proposal,
                "event": event,
                "message": proposal.decision_message,
                "proposal_url": proposal_url(proposal),
                "session": proposal.session,
                "slot": _slot_text(proposal),
            },
            dedup_key=f"contribution:{proposal.id}:decision:{proposal.decision_count}",
            now=now,
            event=event,
            language=language,
        )


def speaker_invite(
    proposal: Proposal, speaker, *, now: datetime, method: str = "REQUEST"
) -> bytes:
    """The session's calendar invite (REQUEST, or CANCEL) addressed to one speaker."""
    event, session = proposal.event, proposal.session
    component: VEvent = session_component(session, event, now=now)
    component.pop("sequence", None)
    component.add("sequence", proposal.schedule_sequence)
    if method == "CANCEL":
        component.pop("status", None)
        component.add("status", "CANCELLED")
    person = SimpleNamespace(email=speaker.email, full_name=speaker.name)
    component.add("attendee", attendee(person))
    calendar = new_calendar(method)
    calendar.add_component(component)
    return serialise(calendar)


def _queue_speaker_emails(
    proposal: Proposal, *, now: datetime, method: str = "REQUEST"
) -> None:
    for speaker in proposal.speakers:
        if not speaker.email:
            continue
        # The invite's texts, the times and the email in the speaker's language.
        with composing_for(speaker) as language:
            _queue_speaker_email(proposal, speaker, method, now=now, language=language)


def _queue_speaker_email(proposal, speaker, method: str, *, now, language) -> None:
    """One speaker's (un)scheduling email with its invite, composed in ``language``."""
    event, session = proposal.event, proposal.session
    cancel = method == "CANCEL"
    content = speaker_invite(proposal, speaker, now=now, method=method)
    attachments = (
        EmailAttachment(
            filename="session.ics",
            content_type=f"text/calendar; method={method}; charset=UTF-8",
            content=content,
            disposition="alternative",
        ),
        EmailAttachment(
            filename="session.ics",
            content_type="application/ics",
            content=content,
            disposition="attachment",
        ),
    )
    queue_email(
        template="contribution_unscheduled" if cancel else "contribution_scheduled",
        to=speaker.email,
        to_name=speaker.name,
        subject=(
            _("Your session is cancelled: %(title)s", title=text_in(event, "title"))
            if cancel
            else _("Your session at %(title)s", title=text_in(event, "title"))
        ),
        context={
            "proposal": proposal,
            "event": event,
            "session": session,
            "speaker": speaker,
            "starts": format_in_two_zones(
                session.start_at, speaker.timezone, event.timezone
            ),
            "ends": format_in_two_zones(
                session.end_at, speaker.timezone, event.timezone
            ),
        },
        dedup_key=(
            f"contribution:{proposal.id}:{method.lower()}:{speaker.id}:"
            f"{proposal.schedule_sequence}"
        ),
        now=now,
        event=event,
        attachments=attachments,
        language=language,
    )
