"""The plan as spreadsheets: one row per action, and one per milestone.

The workbook holds both sheets; as CSV they are two files. Every cell goes
through ``consult.exports`` (text a spreadsheet would run as a formula gets a
leading apostrophe); dates stay dates (ISO in the CSV, yyyy-mm-dd cells in
the workbook).
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.actions.services.plan_files import (
    FileAction,
    PlanFile,
    kind_label,
    status_label,
)
from consult.exports import Sheet, export_filename


def actions_sheet(data: PlanFile) -> Sheet:
    header = [
        _("Challenge"),
        _("Action"),
        _("Kind"),
        _("Status"),
        _("Progress (%)"),
        _("Lead organisation"),
        _("Partners"),
        _("Budget"),
        _("Currency"),
        _("Funding source"),
        _("Start"),
        _("End"),
        _("Milestones"),
        _("Overdue milestones"),
        _("Latest update"),
        _("Builds on inputs"),
        _("Description"),
    ]
    if not data.public:
        header.append(_("Published"))
    rows = []
    for group in data.groups:
        for item in group.actions:
            rows.append(_action_row(data, item))
    return Sheet(_("Actions"), header, rows)


def _action_row(data: PlanFile, item: FileAction) -> list:
    action = item.action
    latest = action.updates[0] if action.updates else None
    row = [
        "; ".join(c.title for c in item.challenges),
        action.title,
        kind_label(action.kind),
        status_label(action.status),
        action.progress,
        action.lead_organisation,
        "; ".join(item.partner_list),
        action.budget_amount,
        action.budget_currency,
        action.funding_source,
        action.start_on,
        action.end_on,
        len(action.milestones),
        len(item.overdue),
        latest.posted_on if latest else None,
        "; ".join(_input_text(i) for i in item.inputs),
        action.description_md,
    ]
    if not data.public:
        row.append(action.is_published)
    return row


def _input_text(item) -> str:
    text = f"{item.title} ({item.event.title})"
    if item.public_author_name:
        text += " — " + _("proposed by %(name)s", name=item.public_author_name)
    return text


def milestones_sheet(data: PlanFile) -> Sheet:
    header = [_("Action"), _("Milestone"), _("Due"), _("Done"), _("Overdue")]
    rows = [
        [
            item.action.title,
            milestone.title,
            milestone.due_on,
            milestone.done_on,
            milestone.id in item.overdue,
        ]
        for item in data.actions
        for milestone in item.action.milestones
    ]
    return Sheet(_("Milestones"), header, rows)


def plan_filename(data: PlanFile, ext: str, part: str = "") -> str:
    """``petaling-jaya-action-plan.pdf``; the organisers' files say so."""
    scope = "" if data.public else "all"
    return export_filename(data.city.slug, "action-plan", part, scope, ext=ext)
