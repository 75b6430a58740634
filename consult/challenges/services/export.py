"""CSV export of an event's inputs for organisers, safe to open in a spreadsheet."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.challenges.models import Challenge, Input, InputSupport, Priority
from consult.challenges.services.queries import support_counts
from consult.exports import csv_text
from consult.extensions import db

HEADERS = (
    _l("ID"),
    _l("Challenge"),
    _l("Kind"),
    _l("State"),
    _l("Title"),
    _l("Body"),
    _l("Author"),
    _l("Organisation"),
    _l("Named publicly"),
    _l("Expert"),
    _l("City"),
    _l("Country"),
    _l("Period"),
    _l("Results"),
    _l("Links"),
    _l("Lead"),
    _l("Partners"),
    _l("Budget range"),
    _l("Timeline"),
    _l("Tags"),
    _l("Answer"),
    _l("Selected for the action plan"),
    _l("Merged into"),
    _l("Hidden reason"),
    _l("Supports"),
    _l("Submitted at"),
    _l("Published at"),
)


def inputs_csv(event) -> str:
    """Every input of the event (all states), one row each, formulas neutralised."""
    items = list(
        db.session.scalars(
            select(Input).where(Input.event_id == event.id).order_by(Input.id)
        )
    )
    supports = support_counts(i.id for i in items)
    rows = (
        (
            i.id,
            i.challenge.title if i.challenge else "",
            i.kind,
            i.state,
            i.title,
            i.body,
            i.author_name,
            i.author_organisation,
            i.consent_named,
            i.is_expert,
            i.city,
            i.country,
            i.period,
            i.results,
            i.links,
            i.lead,
            i.partners,
            i.budget_range,
            i.timeline,
            ", ".join(i.tags or []),
            i.answer,
            i.selected_for_plan,
            i.merged_into_id or "",
            i.hidden_reason,
            supports.get(i.id, 0),
            i.created_at,
            i.published_at,
        )  # fmt: skip
        for i in items
    )
    return csv_text([str(h) for h in HEADERS], rows)


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
