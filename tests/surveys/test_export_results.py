"""Raw survey responses as CSV and XLSX: columns per question, option, statement
and item; only submitted responses; anonymous exports without personal columns."""

from __future__ import annotations

import csv
import io
import random

import pytest
from openpyxl import load_workbook

from consult.errors import PermissionDenied
from consult.extensions import db
from consult.surveys.export import responses_sheet
from tests.surveys.results_fixtures import *  # noqa: F403
from tests.surveys.results_fixtures import (
    OPTIONS,
    STATEMENTS,
    add_response,
    build_survey,
)

FULL = {
    "single_choice": 1,
    "multiple_choice": [0, 2],
    "likert": 4,
    "rating": 9,
    "number": 2.5,
    "short_text": '=HYPERLINK("http://evil")',
    "long_text": "Deposit schemes\nfor bottles",
    "ranking": [3, 0, 1, 2],
    "likert_matrix": [5, None, 2],
}


def column(header, prefix):
    return next(i for i, h in enumerate(header) if h.startswith(prefix))


def test_one_row_per_submitted_response_one_column_per_part(
    app, reg_event, make_registration, now
):
    survey = build_survey(reg_event, now=now)
    person = make_registration(reg_event, type_key="research", full_name="Ana Lim")
    add_response(
        survey, FULL, type_id=person.stakeholder_type_id, registration=person, now=now
    )
    add_response(survey, {"likert": 2}, now=now, status="draft")
    add_response(survey, {"single_choice": ("other", "-2+3 repair")}, now=now)
    db.session.commit()
    sheet = responses_sheet(survey)
    header, rows = list(sheet.header), list(sheet.rows)
    assert len(rows) == 2  # the draft is not exported
    assert header[:7] == [
        "Response ID",
        "Submitted at (UTC)",
        "Name",
        "Email",
        "Organisation",
        "Country",
        "Stakeholder type",
    ]
    for label in OPTIONS:
        assert f"2. Question multiple_choice — {label}" in header
        assert f"8. Question ranking — {label}" in header
    for label in STATEMENTS:
        assert f"9. Question likert_matrix — {label}" in header
    assert len(header) == 7 + 2 + 4 + 5 + 4 + 3
    row = rows[0]
    assert row[2] == "Ana Lim" and row[6] == "Research & academia"
    assert row[column(header, "1. Question single_choice")] == OPTIONS[1]
    chosen = [
        row[column(header, f"2. Question multiple_choice — {o}")] for o in OPTIONS
    ]
    assert chosen == [1, 0, 1, 0]
    assert row[column(header, "3.")] == 4 and row[column(header, "4.")] == 9
    assert row[column(header, "5.")] == 2.5
    ranks = [row[column(header, f"8. Question ranking — {o}")] for o in OPTIONS]
    assert ranks == [2, 3, 4, 1]
    matrix = [
        row[column(header, f"9. Question likert_matrix — {s}")] for s in STATEMENTS
    ]
    assert matrix == [5, None, 2]
    other_row = rows[1]
    assert other_row[column(header, "1. Question single_choice")] == "Other"
    assert (
        other_row[column(header, "1. Question single_choice — Other")] == "-2+3 repair"
    )
    # A skipped multiple-choice question is empty, not "not chosen".
    assert other_row[column(header, "2.")] is None


def test_csv_download_is_neutralised(client, login, organiser, reg_event, now):
    survey = build_survey(reg_event, now=now)
    add_response(survey, FULL, now=now)
    add_response(survey, {"single_choice": ("other", "-2+3 repair")}, now=now)
    db.session.commit()
    login(organiser)
    response = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results.csv"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"survey-{survey.id}.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 3
    assert '\'=HYPERLINK("http://evil")' in rows[1]
    assert "'-2+3 repair" in rows[2]
    assert "Deposit schemes\nfor bottles" in rows[1]


def test_xlsx_download_has_responses_and_questions(
    client, login, organiser, reg_event, now
):
    survey = build_survey(reg_event, now=now)
    add_response(survey, FULL, now=now)
    db.session.commit()
    login(organiser)
    response = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results.xlsx"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Responses", "Questions"]
    sheet = workbook["Responses"]
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    cell = values[header.index("6. Question short_text")]
    assert cell == '\'=HYPERLINK("http://evil")'
    assert sheet.freeze_panes == "A2"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    questions = [r[1].value for r in workbook["Questions"].iter_rows(min_row=2)]
    assert questions[0] == "Question single_choice"


def test_anonymous_export_has_no_personal_columns_and_hides_small_groups(
    app, reg_event, stype, now
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    for key, n in {"government": 6, "research": 2, "private": 5}.items():
        for i in range(n):
            add_response(
                survey,
                {"likert": 1 + i % 5, "short_text": f"{key} {i}"},
                type_id=stype(reg_event, key).id,
                now=now,
            )
    db.session.commit()
    sheet = responses_sheet(survey, rng=random.Random(3))
    header, rows = list(sheet.header), list(sheet.rows)
    assert header[0] == "Stakeholder type"
    assert not {"Name", "Email", "Response ID", "Submitted at (UTC)"} & set(header)
    assert len(rows) == 13
    labels = sorted(r[0] for r in rows)
    assert labels.count("Government & public agencies") == 6
    # research (2) is hidden, and private (5) with it: otherwise 13 - 6 - 5.
    assert labels.count("Other groups") == 7
    texts = [r[column(header, "6. Question short_text")] for r in rows]
    assert sorted(texts) == sorted(
        [f"government {i}" for i in range(6)]
        + [f"research {i}" for i in range(2)]
        + [f"private {i}" for i in range(5)]
    )
    # Not in submission order (which would match the participation records).
    assert texts != [f"government {i}" for i in range(6)] + [
        f"research {i}" for i in range(2)
    ] + [f"private {i}" for i in range(5)]


def test_anonymous_export_needs_five_responses(app, reg_event, stype, now):
    survey = build_survey(reg_event, anonymous=True, now=now)
    for _i in range(4):
        add_response(
            survey, {"likert": 3}, type_id=stype(reg_event, "government").id, now=now
        )
    db.session.commit()
    with pytest.raises(PermissionDenied, match="at least 5"):
        responses_sheet(survey)
