"""CSV export of the filtered registrants, safe to open in a spreadsheet.

The join URL is never part of it: the file travels by email and USB stick.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.events.models import Event
from consult.exports import csv_text
from consult.extensions import db
from consult.registration.models import Registration, RegistrationQuestion
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    registrants_query,
)
from consult.registration.services.settings import registration_questions


def _headers(questions: list[RegistrationQuestion]) -> list[str]:
    return [
        _("ID"),
        _("Name"),
        _("Email"),
        _("Phone"),
        _("Organisation"),
        _("Job title"),
        _("Country"),
        _("City"),
        _("Stakeholder type"),
        _("Role"),
        _("Status"),
        _("Waiting list position"),
        _("Reason"),
        _("Assisted"),
        _("Registered at"),
        _("Confirmed at"),
        _("Checked in at"),
        _("Attended"),
        _("Minutes attended"),
        _("Time zone"),
        _("Interpretation"),
        _("Captions"),
        _("Other needs"),
        _("Consent: recording"),
        _("Consent: participant list"),
        _("Consent: follow-up emails"),
        _("Privacy notice version"),
        *(question.label for question in questions),
    ]


def _row(reg: Registration, questions: list[RegistrationQuestion]) -> list:
    answers = reg.answers or {}
    return [
        reg.id,
        reg.full_name,
        reg.email or "",
        reg.phone,
        reg.organisation,
        reg.job_title,
        reg.country,
        reg.city,
        reg.stakeholder_type.label,
        reg.role,
        reg.status,
        reg.waitlist_position,
        reg.status_reason,
        reg.assisted,
        reg.created_at,
        reg.confirmed_at,
        reg.checked_in_at,
        reg.attended,
        reg.attended_minutes,
        reg.timezone,
        reg.needs_interpretation,
        reg.needs_captions,
        reg.other_needs,
        reg.consent_recording,
        reg.consent_listing,
        reg.consent_followup,
        reg.privacy_notice_version,
        *(_answer(answers, question) for question in questions),
    ]


def _answer(answers: dict, question: RegistrationQuestion):
    # JSON object keys are strings; tolerate integer keys from older data.
    return answers.get(str(question.id), answers.get(question.id, ""))


def registrants_csv(event: Event, filters: RegistrantFilter) -> str:
    """The filtered registrants as CSV text (UTF-8 BOM first), cells neutralised."""
    questions = registration_questions(event)
    registrations = db.session.scalars(registrants_query(event, filters))
    return csv_text(
        _headers(questions), (_row(reg, questions) for reg in registrations)
    )
