"""A registrant's own data: export as JSON-ready data, and erasure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _

from consult.events.services.privacy import notice_of
from consult.extensions import db
from consult.links import external_url
from consult.notifications.withdrawals import (
    recorded_reason,
    scrub_registration_messages,
)
from consult.registration.countries import country_name
from consult.registration.models import Registration
from consult.registration.services.lifecycle import withdraw
from consult.registration.services.seats import lock_event
from consult.registration.services.validation import questions_for
from consult.signing import new_nonce
from consult.timeutil import iso_utc

ERASED_NAME = "Erased participant"

# What other areas remove when a registrant erases their data and that this
# area cannot see (e.g. their consented name in stored versions of the public
# results, consult.dashboard.services.publication). Registered at import.
_ERASURE_HOOKS: list[Callable[[Registration], object]] = []


def on_erase(hook: Callable[[Registration], object]) -> None:
    """Call ``hook(registration)`` in every erasure, before the erased
    registration is flushed; registering the same hook twice keeps one."""
    if hook not in _ERASURE_HOOKS:
        _ERASURE_HOOKS.append(hook)


# What other areas keep about a registrant and add to their data download,
# by name (e.g. the live room's questions and answers). Registered at import.
_EXPORT_PARTS: dict[str, Callable[[Registration], object]] = {}


def on_export(name: str, part: Callable[[Registration], object]) -> None:
    """Add ``part(registration)`` to the data download under ``name``."""
    _EXPORT_PARTS[name] = part


def _when(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment else None


def export_personal_data(registration: Registration) -> dict:
    """Everything stored about the person, for download (no join link)."""
    # Inline: challenges and surveys sit above registration here (a person's
    # contributions and answers); see tests/test_architecture.py HIDDEN_CYCLES
    from consult.challenges.services import personal_contributions
    from consult.surveys.services.privacy import export_survey_data

    event = registration.event
    labels = {str(q.id): q.label for q in questions_for(event)}
    return {
        "event": {"title": event.title, "slug": event.slug},
        "registration": {
            "status": registration.status,
            "waitlist_position": registration.waitlist_position,
            "status_reason": registration.status_reason,
            "stakeholder_type": registration.stakeholder_type.label,
            "role": registration.role,
            "registered_at": _when(registration.created_at),
            "updated_at": _when(registration.updated_at),
            "confirmed_at": _when(registration.confirmed_at),
            "cancelled_at": _when(registration.cancelled_at),
            "checked_in_at": _when(registration.checked_in_at),
            "attended": registration.attended,
            "attended_minutes": registration.attended_minutes,
            "assisted": registration.assisted,
        },
        "person": {
            "full_name": registration.full_name,
            "email": registration.email,
            "phone": registration.phone,
            "organisation": registration.organisation,
            "job_title": registration.job_title,
            "country": registration.country,
            "country_name": country_name(registration.country),
            "city": registration.city,
            "timezone": registration.timezone,
            "language": registration.language,
        },
        "needs": {
            "interpretation": registration.needs_interpretation,
            "captions": registration.needs_captions,
            "other": registration.other_needs,
        },
        "answers": [
            {"question": labels.get(qid, qid), "answer": value}
            for qid, value in (registration.answers or {}).items()
        ],
        "consents": {
            "privacy_notice_version": registration.privacy_notice_version,
            "privacy_consented_at": _when(registration.privacy_consented_at),
            "privacy_notice": _notice_agreed(registration),
            "recording": registration.consent_recording,
            "listing": registration.consent_listing,
            "followup": registration.consent_followup,
        },
        "surveys": export_survey_data(registration),
        "contributions": personal_contributions(registration),
        **{name: part(registration) for name, part in _EXPORT_PARTS.items()},
    }


def _notice_agreed(registration: Registration) -> dict:
    """The notice version the person agreed to: its text and its page."""
    event = registration.event
    version = registration.privacy_notice_version
    notice = notice_of(event, version)
    return {
        "version": version,
        "text": notice.text_md if notice is not None else None,
        "url": external_url("events.privacy", slug=event.slug, version=version),
    }


def erase(registration: Registration, *, now: datetime, by=None) -> Registration:
    """Anonymise a registration and delete what it answered; ``by``: the
    organiser who does it on the person's request (recorded on the row,
    ``erasure.erase_on_request``), None when the person does it.

    The registration is cancelled (its seat goes to the waiting list) and
    kept with its details removed; its named survey answers, priorities and
    supports are deleted. An erased registration counts in no figure
    (consult.registration.counting); its anonymous survey answers, which
    nothing links to it, stay. The hooks registered with ``on_erase`` remove
    what other areas keep (e.g. the consented name in published results).
    """
    # Inline: challenges and surveys sit above registration here (ballots,
    # supports, survey answers); see tests/test_architecture.py HIDDEN_CYCLES
    from consult.challenges.services.supports import erase_ballot_and_supports
    from consult.surveys.services.privacy import erase_survey_answers

    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.erased_at is not None:
        return registration
    if registration.status in ("confirmed", "waitlisted", "pending"):
        # The seat goes to the waiting list; no email: the address is going.
        registration.cancelled_at = now
        withdraw(registration, "cancelled", now=now)
    registration.erased_at = now
    registration.erased_by_id = by.id if by is not None else None
    registration.full_name = ERASED_NAME
    registration.email = None
    for name in ("phone", "organisation", "job_title", "country", "city"):
        setattr(registration, name, "")
    registration.needs_interpretation = ""
    registration.other_needs = ""
    registration.needs_captions = False
    registration.status_reason = ""
    registration.answers = {}
    registration.timezone = "UTC"
    registration.consent_listing = False
    registration.consent_followup = False
    # A new nonce revokes every manage link mailed before.
    registration.manage_nonce = new_nonce()
    registration.updated_at = now
    erase_survey_answers(registration)
    erase_ballot_and_supports(registration)
    for hook in _ERASURE_HOOKS:
        hook(registration)
    db.session.flush()
    # The outbox too: nothing queued goes out, and no address, name or text
    # of the person stays; the organiser still sees what was sent and when.
    scrub_registration_messages(
        registration.id,
        reason=recorded_reason(
            (
                lambda: _(
                    "An organiser erased the person's data before this message left."
                )
            )
            if by is not None
            else (lambda: _("The person erased their data before this message left."))
        ),
    )
    return registration
