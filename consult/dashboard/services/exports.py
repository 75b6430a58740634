"""The event's data as spreadsheet sheets, and what the export log calls them.

Every sheet is one query (plus the event's few registration questions) and
one row per record; ``consult.exports`` writes them with formula-like text
neutralised, and logs each download (exports hold personal data).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.challenges.forms import KIND_LABELS
from consult.challenges.models import Challenge, Expert, Input, InputSupport, Priority
from consult.dashboard.services.surveys import event_surveys
from consult.errors import PermissionDenied
from consult.events.models import Event
from consult.exports import Sheet, sheet_title
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services.settings import registration_questions
from consult.surveys.export import responses_sheet

# What the dashboard's export log calls each kind.
EXPORT_LABELS = {
    "registrants": _l("Registrants"),
    "inputs": _l("Inputs"),
    "priorities": _l("Priorities"),
    "surveys": _l("Survey responses"),
    "workbook": _l("Workbook"),
    "registrant_list": _l("Registrants as filtered on the Registrations page"),
}


def registrants_sheet(event: Event) -> Sheet:
    """Every registration of the event with its consents and answers."""
    questions = registration_questions(event)
    header = [
        _("ID"), _("Name"), _("Email"), _("Phone"), _("Organisation"),
        _("Job title"), _("Country"), _("City"), _("Stakeholder type"), _("Role"),
        _("Status"), _("Waiting list position"), _("Assisted"),
        _("Registered at (UTC)"), _("Confirmed at (UTC)"), _("Checked in at (UTC)"),
        _("Attended"), _("Minutes attended"), _("Time zone"),
        _("Consent: recording"), _("Consent: participant list"),
        _("Consent: follow-up emails"),
        *(q.label for q in questions),
    ]  # fmt: skip
    # Columns, not entities: building 50,000 ORM objects took longer than
    # writing the file (docs/performance.md).
    r = Registration
    registrations = db.session.execute(
        select(
            r.id, r.full_name, r.email, r.phone, r.organisation, r.job_title,
            r.country, r.city, StakeholderType.label, r.role, r.status,
            r.waitlist_position, r.assisted, r.created_at, r.confirmed_at,
            r.checked_in_at, r.attended, r.attended_minutes, r.timezone,
            r.consent_recording, r.consent_listing, r.consent_followup, r.answers,
        )
        .join(StakeholderType, StakeholderType.id == r.stakeholder_type_id)
        .where(r.event_id == event.id)
        .order_by(r.created_at, r.id)
    )  # fmt: skip
    rows = []
    for *values, answers in registrations:
        answers = answers or {}
        values[2] = values[2] or ""  # email (none for some assisted registrations)
        rows.append(
            [*values, *(_answer(answers.get(str(q.id), "")) for q in questions)]
        )
    return Sheet(_("Registrants"), header, rows)


def _answer(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def inputs_sheet(event: Event) -> Sheet:
    """Every input (merged duplicates included, with their state) and its supports."""
    supports = (
        select(InputSupport.input_id, func.count(InputSupport.id).label("n"))
        .group_by(InputSupport.input_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Input,
            Challenge.title,
            Registration.full_name,
            Registration.organisation,
            StakeholderType.label,
            Expert.name,
            Expert.organisation,
            func.coalesce(supports.c.n, 0),
        )
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .outerjoin(Registration, Registration.id == Input.registration_id)
        .outerjoin(
            StakeholderType, StakeholderType.id == Registration.stakeholder_type_id
        )
        .outerjoin(Expert, Expert.id == Input.expert_id)
        .outerjoin(supports, supports.c.input_id == Input.id)
        .where(Input.event_id == event.id)
        .order_by(Input.challenge_id, Input.id)
    )
    header = [
        _("ID"), _("Challenge"), _("Kind"), _("State"), _("Selected for the action plan"),
        _("Supports"), _("Title"), _("Text"), _("Author"), _("Author's organisation"),
        _("Author's stakeholder type"), _("Named in public"), _("City"), _("Country"),
        _("Organisation (best practice)"), _("Results"), _("Links"), _("Lead"),
        _("Partners"), _("Budget range"), _("Timeline"), _("Merged into"),
        _("Submitted at (UTC)"), _("Published at (UTC)"),
    ]  # fmt: skip
    out = []
    for item, challenge, name, org, type_label, expert, expert_org, n in rows:
        out.append(
            [
                item.id, challenge or _("General"), str(KIND_LABELS[item.kind]),
                item.state, item.selected_for_plan, n, item.title, item.body,
                expert or name or "", expert_org or org or "",
                _("Invited expert") if expert else (type_label or ""),
                item.consent_named, item.city, item.country, item.organisation,
                item.results, item.links, item.lead, item.partners,
                item.budget_range, item.timeline, item.merged_into_id,
                item.created_at, item.published_at,
            ]
        )  # fmt: skip
    return Sheet(_("Inputs"), header, out)


def priorities_sheet(event: Event) -> Sheet:
    """One row per registrant and challenge: the points (or rank) given."""
    rows = db.session.execute(
        select(
            Registration.id,
            Registration.full_name,
            StakeholderType.label,
            Registration.status,
            Challenge.title,
            Priority.points,
            Priority.rank,
            Priority.updated_at,
        )
        .join(Registration, Registration.id == Priority.registration_id)
        .join(StakeholderType, StakeholderType.id == Registration.stakeholder_type_id)
        .join(Challenge, Challenge.id == Priority.challenge_id)
        .where(Priority.event_id == event.id)
        .order_by(Registration.id, Challenge.position, Challenge.id)
    )
    header = [
        _("Registration ID"), _("Name"), _("Stakeholder type"), _("Status"),
        _("Challenge"), _("Points"), _("Rank"), _("Saved at (UTC)"),
    ]  # fmt: skip
    return Sheet(_("Priorities"), header, [list(row) for row in rows])


def survey_sheets(event: Event) -> list[Sheet]:
    """One sheet of responses per survey that may be exported (anonymous ones
    need five responses), titled after the survey."""
    sheets = []
    for survey in event_surveys(event):
        try:
            sheet = responses_sheet(survey)
        except PermissionDenied:
            continue
        title = _("Survey %(id)d %(title)s", id=survey.id, title=survey.title)
        sheets.append(Sheet(sheet_title(title), sheet.header, list(sheet.rows)))
    return sheets


def survey_sheet(event: Event, survey_id: int) -> Sheet | None:
    """The responses of one survey of the event; None when it has no such survey."""
    for survey in event_surveys(event):
        if survey.id == survey_id:
            sheet = responses_sheet(survey)
            return Sheet(sheet.title, sheet.header, list(sheet.rows))
    return None


SHEETS = {
    "registrants": registrants_sheet,
    "inputs": inputs_sheet,
    "priorities": priorities_sheet,
}


def workbook_sheets(event: Event) -> list[Sheet]:
    """Registrants, inputs, priorities and each exportable survey, as sheets."""
    return [
        registrants_sheet(event),
        inputs_sheet(event),
        priorities_sheet(event),
        *survey_sheets(event),
    ]


def row_count(sheets) -> int:
    return sum(len(sheet.rows) for sheet in sheets)
