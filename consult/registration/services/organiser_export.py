"""The registrants table as organisers download it: one column definition.

The registrations page (its filtered list, as CSV) and the dashboard (the
registrants export and the workbook's sheet) both write ``registrants_sheet``,
so an organiser gets the same columns from either page.

Each column is a header and the SQL expression of its cell: the query selects
exactly these columns, not ORM objects (building 50,000 objects took longer
than writing the file, docs/performance.md), and each row is the selected
values plus the answers to the event's own questions. Timestamps say "(UTC)"
in the header: a workbook cell holds no time zone.

The join URL is never part of it: the file travels by email and USB stick.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from consult.auth.models import User
from consult.events.models import Event
from consult.exports import Sheet, csv_text
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import (
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    filter_conditions,
)
from consult.registration.services.settings import registration_questions

# Who registered the person for them (an organiser or a facilitator).
REGISTERED_BY = aliased(User, name="registered_by")

# (header, cell) for every column before the event's questions.
COLUMNS = (
    (_l("ID"), Registration.id),
    (_l("Name"), Registration.full_name),
    # Some assisted registrations have no email: an empty cell, not "None".
    (_l("Email"), func.coalesce(Registration.email, "")),
    (_l("Phone"), Registration.phone),
    (_l("Organisation"), Registration.organisation),
    (_l("Job title"), Registration.job_title),
    (_l("Country"), Registration.country),
    (_l("City"), Registration.city),
    (_l("Stakeholder type"), StakeholderType.label),
    (_l("Role"), Registration.role),
    (_l("Status"), Registration.status),
    (_l("Waiting list position"), Registration.waitlist_position),
    (_l("Reason"), Registration.status_reason),
    (_l("Assisted"), Registration.assisted),
    # Empty for people who registered themselves.
    (_l("Registered by"), func.coalesce(REGISTERED_BY.name, "")),
    # online, assisted (by an organiser), or a facilitator's in_person,
    # phone, paper, sms: the dashboard's and the report's channels.
    (_l("Channel"), counting.how_registered()),
    (_l("Registered at (UTC)"), Registration.created_at),
    (_l("Confirmed at (UTC)"), Registration.confirmed_at),
    (_l("Checked in at (UTC)"), Registration.checked_in_at),
    (_l("Attended"), Registration.attended),
    (_l("Minutes attended"), Registration.attended_minutes),
    (_l("Time zone"), Registration.timezone),
    # The language messages are written in, as a code (en, ms, zh_Hans...):
    # filled in with the site's default for people who chose none.
    (_l("Language"), Registration.language),
    (_l("Interpretation"), Registration.needs_interpretation),
    (_l("Captions"), Registration.needs_captions),
    (_l("Other needs"), Registration.other_needs),
    (_l("Consent: recording"), Registration.consent_recording),
    (_l("Consent: participant list"), Registration.consent_listing),
    (_l("Consent: follow-up emails"), Registration.consent_followup),
    (_l("Privacy notice version"), Registration.privacy_notice_version),
)

LANGUAGE_COLUMN = next(
    i for i, (_h, cell) in enumerate(COLUMNS) if cell is Registration.language
)


def registrants_sheet(event: Event, filters: RegistrantFilter | None = None) -> Sheet:
    """The event's registrations matching ``filters`` (all when None), oldest
    first, with their access needs, consents and answers."""
    questions = registration_questions(event)
    header = [str(h) for h, _cell in COLUMNS] + [q.label for q in questions]
    registrations = db.session.execute(
        select(*(cell for _h, cell in COLUMNS), Registration.answers)
        .join(StakeholderType, StakeholderType.id == Registration.stakeholder_type_id)
        .outerjoin(REGISTERED_BY, REGISTERED_BY.id == Registration.assisted_by_id)
        .where(*filter_conditions(event, filters or RegistrantFilter()))
        .order_by(Registration.created_at, Registration.id)
    )
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    rows = []
    for *values, answers in registrations:
        values[LANGUAGE_COLUMN] = values[LANGUAGE_COLUMN] or default
        rows.append([*values, *(_answer(answers or {}, q) for q in questions)])
    return Sheet(_("Registrants"), header, rows)


def registrants_csv(event: Event, filters: RegistrantFilter) -> str:
    """The filtered registrants as CSV text (UTF-8 BOM first), cells neutralised."""
    sheet = registrants_sheet(event, filters)
    return csv_text(sheet.header, sheet.rows)


def _answer(answers: dict, question: RegistrationQuestion):
    # JSON object keys are strings; tolerate integer keys from older data.
    value = answers.get(str(question.id), answers.get(question.id, ""))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value
