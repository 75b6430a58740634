"""consult.xlsx writes what openpyxl's own writer wrote for the same sheets.

Compared as a spreadsheet reads the two files (tests/xlsx_reference.py):
values, cell types, number formats of dates and times, the bold header,
widths, the frozen pane, sheet titles.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from markupsafe import Markup
from openpyxl import load_workbook

from consult import exports
from tests.xlsx_reference import content, reference_xlsx

# Every kind of value the exports hand the writer, and the awkward ones.
VALUES = [
    "Ana", "", " padded ", "   ", "=1+1", "+x", "-3", "@a", "\tq", "\rr",
    "a\x00b\x1bc", "y" * 40000, "#N/A", "#REF!", 'a & b <c> "q" \'z\'',
    "line one\nline two", "ünïcödé 中文 한국어 tiếng Việt", -3, 0, 10**17, 2.5,
    1 / 3, float("nan"), Decimal("1.25"), True, False, None,
    datetime(2026, 11, 24, 17, 0, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 1, 2, 3, 4, 5, 123456), datetime(2026, 3, 1, tzinfo=UTC),
    date(2026, 1, 2), time(3, 4), Markup("<b>m</b>"), ["a", 1],
]  # fmt: skip


def _sheets():
    header = [f"h{i}" for i in range(len(VALUES))]
    header[3], header[5], header[6] = "=bad", "#N/A", 5
    header[7] = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    return [
        exports.Sheet("Reg:ist/rants", header, [VALUES, VALUES[::-1], VALUES[:3]]),
        exports.Sheet("Reg:ist/rants", ["Only"], iter([[1], [2]])),
        exports.Sheet("R&D <\"quoted\"> 'x'", ["a", "b"], [["longer row", 1, 2, 3]]),
        exports.Sheet("empty", [], []),
    ]


def test_every_kind_of_value_reads_back_as_openpyxl_wrote_it():
    ours, theirs = exports.xlsx_bytes(_sheets()), reference_xlsx(_sheets())
    assert content(ours) == content(theirs)


def test_dates_and_times_keep_their_number_formats_and_utc_values():
    rows = [[datetime(2026, 11, 24, 17, 0, tzinfo=timezone(timedelta(hours=8)))],
            [date(2026, 1, 2)], [datetime(2026, 1, 2, 3, 4, 5, 500000)]]  # fmt: skip
    ws = load_workbook(
        io.BytesIO(exports.xlsx_bytes([exports.Sheet("s", ["t"], rows)]))
    )
    cells = [ws.active.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.number_format for c in cells] == [
        "yyyy-mm-dd hh:mm:ss",
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm:ss",
    ]
    assert cells[0].value == datetime(2026, 11, 24, 9, 0)
    assert cells[1].value == datetime(2026, 1, 2)
    assert cells[2].value == datetime(2026, 1, 2, 3, 4, 5, 500000)
    assert all(c.is_date for c in cells)


def test_many_rows_stream_with_the_same_content():
    # More rows than one write holds (consult.xlsx.ROWS_PER_WRITE) and than
    # the width sample; repeated texts come from the writer's cache.
    rows = [
        [n, f"name {n}", "confirmed" if n % 3 else "waitlisted", n / 7,
         datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)]
        for n in range(4500)
    ]  # fmt: skip
    sheets = [exports.Sheet("Registrants", ["ID", "Name", "Status", "x", "At"], rows)]
    assert content(exports.xlsx_bytes(sheets)) == content(reference_xlsx(sheets))


def test_the_package_is_well_formed_and_never_holds_a_formula():
    data = exports.xlsx_bytes(_sheets())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert "[Content_Types].xml" in names and "xl/workbook.xml" in names
        sheets = [package.read(n) for n in names if n.startswith("xl/worksheets/")]
    assert len(sheets) == 4
    assert all(b"<f>" not in sheet for sheet in sheets)
    titles = load_workbook(io.BytesIO(data)).sheetnames
    assert titles == [
        "Reg ist rants",
        "Reg ist rants (2)",
        'R&D <"quoted"> \'x',
        "empty",
    ]


def test_times_are_the_same_numbers_openpyxl_computes():
    from random import Random

    from openpyxl.utils.datetime import to_excel

    from consult.xlsx import _serial

    rng = Random(22)
    zones = [
        UTC,
        timezone(timedelta(hours=8)),
        timezone(timedelta(hours=-5, minutes=-30)),
    ]
    moments = [datetime(1900, 1, 15, 6), datetime(1900, 3, 1), datetime(1899, 12, 31)]
    for _ in range(2000):
        moment = datetime(2000, 1, 1) + timedelta(
            days=rng.randrange(20000), microseconds=rng.randrange(86400 * 10**6)
        )
        moments += [moment, moment.replace(tzinfo=rng.choice(zones))]
    for moment in moments:
        naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        assert _serial(moment) == to_excel(naive), moment
