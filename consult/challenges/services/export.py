"""The inputs and priorities tables as organisers download them.

One column definition per table: the inputs page's CSV and the dashboard's
exports and workbook all write ``inputs_sheet``, so an organiser gets the
same columns from either page; the dashboard also writes
``priorities_sheet``. Each sheet is one query (authors, challenges and
support counts joined in), never a query per row.

An input column is a header and a function of one result row of
``inputs_sheet``'s query: the input's own columns by their names (the
query selects columns, not Input objects: building 31,000 objects was a
fifth of the 50,000-registration workbook's CPU, issue 22), and what the
query joins in (author, challenge, support count).
"""

from __future__ import annotations

from operator import attrgetter

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.challenges.labels import KIND_LABELS
from consult.challenges.models import Challenge, Expert, Input, InputSupport, Priority
from consult.challenges.services.supports import support_totals
from consult.exports import Sheet, csv_text
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration, StakeholderType


def input_columns() -> tuple:
    """(header, cell) for every column of the inputs table, in order.

    "Body", not "Text": the field is the input's body, as the inputs page's
    own CSV always called it, and "Text" already names a survey option's
    wording. Built per export: the words are looked up once, not per row.
    """
    kinds = {key: str(label) for key, label in KIND_LABELS.items()}
    general, invited_expert = _("General"), _("Invited expert")

    def author(row) -> str:
        # As Input.author_name: the invited expert, else the registrant.
        if row.expert_id is not None:
            return row.expert_name
        return row.registrant_name or ""

    def author_organisation(row) -> str:
        if row.expert_id is not None:
            return row.expert_organisation
        return row.registrant_organisation or ""

    def author_type(row) -> str:
        if row.expert_id is not None:
            return invited_expert
        return row.stakeholder_type or ""

    return (
        (_("ID"), _field("id")),
        (_("Challenge"), lambda row: row.challenge or general),
        (_("Kind"), lambda row: kinds[row.kind]),
        (_("State"), _field("state")),
        (_("Title"), _field("title")),
        (_("Body"), _field("body")),
        (_("Author"), author),
        (_("Author's organisation"), author_organisation),
        (_("Author's stakeholder type"), author_type),
        (_("Named publicly"), _field("consent_named")),
        (_("Expert"), _field("is_expert")),
        (_("City"), _field("city")),
        (_("Country"), _field("country")),
        (_("Organisation (best practice)"), _field("organisation")),
        (_("Period"), _field("period")),
        (_("Results"), _field("results")),
        (_("Links"), _field("links")),
        (_("Lead"), _field("lead")),
        (_("Partners"), _field("partners")),
        (_("Budget range"), _field("budget_range")),
        (_("Timeline"), _field("timeline")),
        (_("Tags"), lambda row: ", ".join(row.tags or [])),
        (_("Answer"), _field("answer")),
        (_("Selected for the action plan"), _field("selected_for_plan")),
        (_("Merged into"), _field("merged_into_id")),
        (_("Hidden reason"), _field("hidden_reason")),
        (_("Supports"), attrgetter("supports")),
        (_("Submitted at (UTC)"), _field("created_at")),
        (_("Published at (UTC)"), _field("published_at")),
    )


def _field(name: str):
    """The cell of one of the input's own columns."""
    return attrgetter(name)


# The input's own columns the sheet reads (``_field`` and the functions above).
INPUT_FIELDS = (
    "id", "expert_id", "kind", "state", "title", "body", "consent_named",
    "is_expert", "city", "country", "organisation", "period", "results", "links",
    "lead", "partners", "budget_range", "timeline", "tags", "answer",
    "selected_for_plan", "merged_into_id", "hidden_reason", "created_at",
    "published_at",
)  # fmt: skip


def inputs_sheet(event) -> Sheet:
    """Every input of the event (all states, merged duplicates included), by ID."""
    supports = support_totals(event.id)
    result = db.session.execute(
        select(
            *(getattr(Input, name) for name in INPUT_FIELDS),
            Challenge.title.label("challenge"),
            Registration.full_name.label("registrant_name"),
            Registration.organisation.label("registrant_organisation"),
            StakeholderType.label.label("stakeholder_type"),
            Expert.name.label("expert_name"),
            Expert.organisation.label("expert_organisation"),
            func.coalesce(supports.c.n, 0).label("supports"),
        )
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .outerjoin(Registration, Registration.id == Input.registration_id)
        .outerjoin(
            StakeholderType, StakeholderType.id == Registration.stakeholder_type_id
        )
        .outerjoin(Expert, Expert.id == Input.expert_id)
        .outerjoin(supports, supports.c.input_id == Input.id)
        .where(Input.event_id == event.id)
        .order_by(Input.id)
    )
    columns = input_columns()
    header = [h for h, _cell in columns]
    cells = [cell for _h, cell in columns]
    rows = [[cell(row) for cell in cells] for row in result]
    return Sheet(_("Inputs"), header, rows)


def inputs_csv(event) -> str:
    """Every input of the event as CSV text (UTF-8 BOM first), cells neutralised."""
    sheet = inputs_sheet(event)
    return csv_text(sheet.header, sheet.rows)


def priorities_sheet(event) -> Sheet:
    """One row per counted ballot and challenge: the points (or rank) given.

    The ballots the results count (``counting.voter``), on the challenges
    that are not archived: the sheet adds up to the report's figures.
    """
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
        .where(
            Priority.event_id == event.id,
            counting.voter(),
            Challenge.archived_at.is_(None),
        )
        .order_by(Registration.id, Challenge.position, Challenge.id)
    )
    header = [
        _("Registration ID"), _("Name"), _("Stakeholder type"), _("Status"),
        _("Challenge"), _("Points"), _("Rank"), _("Saved at (UTC)"),
    ]  # fmt: skip
    return Sheet(_("Priorities"), header, [list(row) for row in rows])


def personal_contributions(registration) -> dict:
    """A registrant's inputs, supports and priorities, for their data export."""
    inputs = db.session.scalars(
        select(Input).where(Input.registration_id == registration.id).order_by(Input.id)
    )
    supported = db.session.scalars(
        select(InputSupport.input_id)
        .where(InputSupport.registration_id == registration.id)
        .order_by(InputSupport.input_id)
    )
    priorities = db.session.execute(
        select(Challenge.title, Priority.points, Priority.rank)
        .join(Challenge, Challenge.id == Priority.challenge_id)
        .where(Priority.registration_id == registration.id)
        .order_by(Challenge.position, Challenge.id)
    )
    return {
        "inputs": [
            {
                "id": i.id,
                "kind": i.kind,
                "state": i.state,
                "challenge": i.challenge.title if i.challenge else None,
                "title": i.title,
                "body": i.body,
                "named_publicly": i.consent_named,
                "hidden_reason": i.hidden_reason,
                "submitted_at": i.created_at.isoformat(),
                "updated_at": i.updated_at.isoformat(),
            }
            for i in inputs
        ],
        "supported_inputs": list(supported),
        "priorities": [
            {"challenge": title, "points": points, "rank": rank}
            for title, points, rank in priorities
        ],
    }
