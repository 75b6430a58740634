"""The plan's files through HTTP: public ones, organisers' ones, who gets which."""

from __future__ import annotations

import csv
import io

import openpyxl
from flask import render_template
from pypdf import PdfReader

from consult.extensions import db
from tests.actions.conftest import FORMULA
from tests.dashboard.conftest import require_pdf

PUBLIC = "/cities/petaling-jaya/"
MANAGE = "/manage/cities/petaling-jaya/"


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_anyone_downloads_the_published_actions(plan_world, client):
    response = client.get(PUBLIC + "plan.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "petaling-jaya-action-plan.csv" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert [r[1] for r in rows[1:]] == [
        "Hawker centre food-waste pilot",
        "Refill shop policy",
    ]
    assert rows[1][5] == "'" + FORMULA
    milestones = _csv(client.get(PUBLIC + "plan-milestones.csv"))
    assert {r[1] for r in milestones[1:]} == {
        "Bins installed",
        "Due today, not late",
        "Stallholders briefed",
    }
    workbook = client.get(PUBLIC + "plan.xlsx")
    assert workbook.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(workbook.data))
    titles = [c.value for c in book["Actions"]["B"][1:]]
    assert titles == ["Hawker centre food-waste pilot", "Refill shop policy"]


def test_the_public_pdf_over_http(plan_world, client):
    require_pdf()
    response = client.get(PUBLIC + "plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages
    )
    assert "Hawker centre food-waste pilot" in text
    assert "Secret draft action" not in text


def test_public_files_are_a_404_without_a_published_action(plan_world, client):
    assert client.get("/cities/nowhere/plan.csv").status_code == 404
    for action in (plan_world.food, plan_world.plastics):
        action.published_at = None
    db.session.commit()
    for name in ("plan.pdf", "plan.xlsx", "plan.csv", "plan-milestones.csv"):
        assert client.get(PUBLIC + name).status_code == 404, name


def test_organisers_files_hold_every_action(plan_world, client, login, organiser):
    login(organiser)
    rows = _csv(client.get(MANAGE + "plan.csv"))
    assert [(r[1], r[-1]) for r in rows[1:]] == [
        ("Hawker centre food-waste pilot", "yes"),
        ("Refill shop policy", "yes"),
        ("Secret draft action", "no"),
    ]
    response = client.get(MANAGE + "plan.xlsx")
    assert (
        "petaling-jaya-action-plan-all.xlsx" in response.headers["Content-Disposition"]
    )
    assert "no-store" in response.headers["Cache-Control"]


def test_organisers_files_refuse_others(
    plan_world, client, login, other_organiser, admin
):
    anonymous = client.get(MANAGE + "plan.csv")
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]
    login(other_organiser)
    assert client.get(MANAGE + "plan.csv").status_code == 403
    assert client.get("/manage/cities/nowhere/plan.csv").status_code == 404
    login(admin)
    assert client.get(MANAGE + "plan.csv").status_code == 200


def test_the_partial_links_the_public_files(plan_world, app):
    with app.test_request_context("/cities/petaling-jaya/plan"):
        html = render_template("actions/public/_files.html", city=plan_world.city)
    for name in ("plan.pdf", "plan.xlsx", "plan.csv", "plan-milestones.csv"):
        assert f'href="/cities/petaling-jaya/{name}"' in html
