"""The plan's files: what the public and the organisers get, in every format."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
from pypdf import PdfReader

from consult.actions.models import Action, ActionPlan
from consult.actions.services.dates import city_today
from consult.actions.services.plan_files import plan_file
from consult.actions.services.plan_pdf import plan_pdf, printed
from consult.actions.services.plan_sheets import actions_sheet, milestones_sheet
from consult.exports import csv_text, xlsx_bytes
from consult.extensions import db
from tests.actions.conftest import FORMULA
from tests.dashboard.conftest import require_pdf


def _titles(data) -> list[str]:
    return [item.action.title for item in data.actions]


def _csv_rows(sheet) -> list[list[str]]:
    text = csv_text(sheet.header, sheet.rows).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _pdf_text(data, language: str = "en") -> str:
    pdf = plan_pdf(data, language)
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_the_public_files_hold_the_published_actions_the_organisers_all(
    plan_world, now
):
    public = plan_file(plan_world.city, public=True, now=now)
    everything = plan_file(plan_world.city, public=False, now=now)
    assert _titles(public) == ["Hawker centre food-waste pilot", "Refill shop policy"]
    assert _titles(everything) == [
        "Hawker centre food-waste pilot",
        "Refill shop policy",
        "Secret draft action",
    ]
    # Grouped by the challenge each answers first, in the challenges' order.
    assert [g.title for g in everything.groups] == [
        "Food and organic waste",
        "Plastic packaging",
    ]
    assert [r[1] for r in _csv_rows(actions_sheet(public))[1:]] == _titles(public)
    rows = _csv_rows(actions_sheet(everything))
    assert rows[0][-1] == "Published"
    assert [(r[1], r[-1]) for r in rows[1:]] == [
        ("Hawker centre food-waste pilot", "yes"),
        ("Refill shop policy", "yes"),
        ("Secret draft action", "no"),
    ]


def test_no_public_file_without_a_published_action(plan_world, now):
    for action in (plan_world.food, plan_world.plastics):
        action.published_at = None
    db.session.commit()
    assert plan_file(plan_world.city, public=True, now=now) is None
    assert _titles(plan_file(plan_world.city, public=False, now=now)) == [
        "Hawker centre food-waste pilot",
        "Refill shop policy",
        "Secret draft action",
    ]


def test_overdue_milestones_on_the_city_calendar(plan_world, now):
    data = plan_file(plan_world.city, public=True, now=now)
    today = city_today(plan_world.city, now)
    rows = _csv_rows(milestones_sheet(data))
    assert rows[0] == ["Action", "Milestone", "Due", "Done", "Overdue"]
    by_title = {r[1]: r for r in rows[1:]}
    late = by_title["Bins installed"]
    assert late[2] == (today - timedelta(days=3)).isoformat()  # ISO dates
    assert late[4] == "yes"
    assert by_title["Due today, not late"][4] == "no"
    assert (
        by_title["Stallholders briefed"][3] == (today - timedelta(days=11)).isoformat()
    )
    assert by_title["Stallholders briefed"][4] == "no"
    action_row = _csv_rows(actions_sheet(data))[1]
    assert action_row[12:14] == ["3", "1"]  # milestones, overdue ones
    assert action_row[10] == (today - timedelta(days=30)).isoformat()


def test_formula_injection_is_neutralised_in_csv_and_xlsx(plan_world, now):
    data = plan_file(plan_world.city, public=True, now=now)
    row = _csv_rows(actions_sheet(data))[1]
    assert row[5] == "'" + FORMULA
    workbook = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes([actions_sheet(data), milestones_sheet(data)]))
    )
    assert workbook.sheetnames == ["Actions", "Milestones"]
    cell = workbook["Actions"]["F2"]
    assert cell.data_type == "s" and cell.value == "'" + FORMULA
    formulas = [
        c.coordinate
        for sheet in workbook
        for line in sheet.iter_rows()
        for c in line
        if c.data_type == "f"
    ]
    assert formulas == []
    due = workbook["Milestones"]["C2"]
    assert due.is_date and due.number_format == "yyyy-mm-dd"


def test_input_authors_only_with_their_consent(plan_world, now):
    data = plan_file(plan_world.city, public=True, now=now)
    text = "\n".join(",".join(r) for r in _csv_rows(actions_sheet(data)))
    assert "Compost at hawker centres" in text and "Amina Named" in text
    assert "Refill shops" in text
    assert "Hidden Author" not in text
    assert "owner@example.org" not in text and "Owner Person" not in text


def test_the_public_pdf_shows_the_published_plan(plan_world, app, now):
    require_pdf()
    data = plan_file(plan_world.city, public=True, now=now)
    with app.test_request_context("/cities/petaling-jaya/plan.pdf"):
        text = _pdf_text(data)
    for expected in (
        "Petaling Jaya action plan",
        "Petaling Jaya, Malaysia",
        "Version 1",
        "Our plan for a circular city.",
        "Food and organic waste",
        "Hawker centre food-waste pilot",
        "Pilot project",
        "In progress",
        "Progress: 40%",
        "City of Lyon; Hawkers' association",
        "MYR 180,000",
        "Bins installed",
        "Overdue",
        "Collection runs daily.",
        "Compost at hawker centres",
        "Proposed by Amina Named",
        "Refill shop policy",
    ):
        assert expected in text, expected
    assert "Secret draft action" not in text
    assert "Hidden Author" not in text
    assert "owner@example.org" not in text
    assert text.count("Overdue") == 1  # "due today" is not late yet


def test_the_organisers_pdf_shows_the_drafts_and_a_change_prints_anew(
    plan_world, app, now
):
    require_pdf()
    with app.test_request_context("/manage/cities/petaling-jaya/plan.pdf"):
        data = plan_file(plan_world.city, public=False, now=now)
        text = _pdf_text(data)
        assert "Secret draft action" in text and "Not published" in text
        kept = plan_pdf(data, "en")
        assert plan_pdf(data, "en") is kept  # the same page is not printed again
        plan_world.draft.title = "Renamed draft action"
        db.session.commit()
        changed = plan_file(plan_world.city, public=False, now=now)
        assert "Renamed draft action" in _pdf_text(changed)
    assert len(printed._files) == 2


def test_a_plan_of_another_city_is_not_in_the_files(plan_world, now):
    from consult.cities.services import city_for_host

    other = city_for_host("Subang Jaya", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    plan = ActionPlan(city_id=other.id, title="Subang Jaya plan")
    db.session.add(plan)
    db.session.flush()
    db.session.add(
        Action(
            plan_id=plan.id,
            title="Other city's action",
            kind="policy",
            published_at=now,
        )
    )
    db.session.commit()
    data = plan_file(plan_world.city, public=False, now=now)
    assert "Other city's action" not in _titles(data)
    assert _titles(plan_file(other, public=True, now=now)) == ["Other city's action"]
