"""CSV and XLSX exports: neutralised cells, types kept, workbook layout, downloads."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage

import pytest
from openpyxl import load_workbook

from consult import exports

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_neutralises_formula_cells(value):
    rows = read_csv(exports.csv_text(["h"], [[value]]))
    assert rows[1] == ["'" + value]


def test_csv_keeps_safe_text_numbers_and_formats_other_types():
    moment = datetime(2026, 11, 24, 10, 30, tzinfo=timezone(timedelta(hours=8)))
    rows = read_csv(
        exports.csv_text(
            ["text", "n", "neg", "none", "yes", "when", "day", "accents"],
            [["hello", 3, -5, None, True, moment, date(2026, 1, 2), 'Pétaling, "PJ"']],
        )
    )
    assert rows[1] == [
        "hello",
        "3",
        "-5",  # a number is not a formula
        "",
        "yes",
        "2026-11-24 02:30:00 UTC",
        "2026-01-02",
        'Pétaling, "PJ"',
    ]


def test_csv_header_is_neutralised_too():
    rows = read_csv(exports.csv_text(["=cmd"], []))
    assert rows == [["'=cmd"]]


def load(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_xlsx_sheets_header_bold_frozen_and_widths():
    data = exports.xlsx_bytes(
        [
            exports.Sheet("Responses", ["Name", "Answer"], [["Ana", "x" * 30]]),
            exports.Sheet("Responses", ["Only"], iter([[1], [2]])),
        ]
    )
    wb = load(data)
    assert wb.sheetnames == ["Responses", "Responses (2)"]
    ws = wb["Responses"]
    assert [c.value for c in ws[1]] == ["Name", "Answer"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 32
    assert ws.column_dimensions["A"].width == 8  # the minimum
    assert [r[0].value for r in wb["Responses (2)"].iter_rows(min_row=2)] == [1, 2]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_stores_dangerous_text_as_neutralised_strings(value):
    wb = load(exports.xlsx_bytes([exports.Sheet("s", [value], [[value]])]))
    for cell in (wb.active["A1"], wb.active["A2"]):
        assert cell.data_type == "s"
        assert (
            cell.value == "'" + value.replace("\r", "\n") or cell.value == "'" + value
        )


def test_xlsx_never_writes_a_formula():
    data = exports.xlsx_bytes([exports.Sheet("s", ["h"], [["=1+1"]])])
    wb = load(data)
    assert wb.active["A2"].value == "'=1+1"
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


def test_xlsx_keeps_types_and_converts_times_to_utc():
    moment = datetime(2026, 11, 24, 17, 0, tzinfo=timezone(timedelta(hours=8)))
    wb = load(
        exports.xlsx_bytes(
            [
                exports.Sheet(
                    "s",
                    ["n", "f", "b", "when", "day", "none"],
                    [[-3, 2.5, False, moment, date(2026, 1, 2), None]],
                )
            ]
        )
    )
    row = [c.value for c in wb.active[2]]
    assert row[:3] == [-3, 2.5, False]
    assert row[3] == datetime(2026, 11, 24, 9, 0)
    assert row[4].date() == date(2026, 1, 2)
    assert row[5] is None


def test_xlsx_strips_illegal_characters_and_caps_long_text():
    wb = load(
        exports.xlsx_bytes(
            [exports.Sheet("s", ["h"], [["a\x00b\x1bc"], ["y" * 40000]])]
        )
    )
    assert wb.active["A2"].value == "abc"
    assert len(wb.active["A3"].value) == exports.XLSX_CELL_LIMIT


def test_xlsx_needs_a_sheet():
    with pytest.raises(ValueError):
        exports.xlsx_bytes([])


def test_sheet_titles_are_valid_and_unique():
    used: set[str] = set()
    assert exports.sheet_title("Q1: what/why? [a]*", used) == "Q1  what why   a"
    long = "x" * 40
    first = exports.sheet_title(long, used)
    second = exports.sheet_title(long, used)
    assert len(first) == len(second) == 31 and first != second
    assert exports.sheet_title("", used) == "Sheet"


def test_export_filename_is_ascii():
    assert (
        exports.export_filename("désign cities", "survey", 3, ext="csv")
        == "d-sign-cities-survey-3.csv"
    )
    assert exports.export_filename("../..", ext=".xlsx") == "export.xlsx"


def charsets(content_type: str) -> list[str]:
    """Every charset parameter of a Content-Type header, as a mail parser reads it."""
    message = EmailMessage()
    message["Content-Type"] = content_type
    params = message.get_params(header="content-type")[1:]
    return [value for name, value in params if name.lower() == "charset"]


def test_every_csv_download_has_exactly_one_charset(app):
    with app.test_request_context():
        built = exports.csv_response("a.csv", ["h"], [["x"]])
        from_text = exports.csv_download("b.csv", exports.csv_text(["h"], []))

    for response in (built, from_text):
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
        assert charsets(response.headers["Content-Type"]) == ["utf-8"]
        assert response.headers["Cache-Control"] == "no-store"


def test_responses_are_downloads_with_filenames(app):
    with app.test_request_context():
        response = exports.csv_response("a.csv", ["h"], [["=x"]])
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == "attachment; filename=a.csv"
        assert response.headers["Cache-Control"] == "no-store"
        response.direct_passthrough = False
        body = response.get_data().decode("utf-8")
        assert body.startswith("\ufeffh\r\n'=x")
        response = exports.xlsx_response(
            "Résultats.xlsx", [exports.Sheet("s", ["h"], [])]
        )
        assert response.mimetype == exports.XLSX_MIMETYPE
        assert (
            "filename*=UTF-8''R%C3%A9sultats.xlsx"
            in response.headers["Content-Disposition"]
        )
        response.direct_passthrough = False
        assert load(response.get_data()).active["A1"].value == "h"
