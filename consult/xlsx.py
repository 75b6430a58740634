"""The .xlsx package of plain sheets, each row's XML written as text.

openpyxl's writer makes a cell object and an XML element for every value
(and checks each string on the way): the 50,000-registration workbook spent
most of its 40 s of CPU there (docs/performance.md, issue 22). This module
writes the package openpyxl writes in write-only mode, part for part (the
same worksheets with inline strings, styles, theme and properties), but
each row as one string: a value's XML is a few string operations, and a
text seen before (a status, a type, a challenge) is not escaped again.

It knows the cell types ``consult.exports`` hands it: text (already made
safe by ``text``, a function of the caller), numbers, booleans, dates and
naive UTC datetimes, None (an empty cell). Text that is one of Excel's
error codes ("#N/A") is stored as that error, as openpyxl stores it.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl import __version__ as openpyxl_version
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.theme import theme_xml

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
# Cell styles (cellXfs): plain, the bold header, a datetime, a date, and the
# last two in bold for a header cell that holds one.
BOLD, DATETIME, DATE = 1, 2, 3
BOLD_DATETIME, BOLD_DATE = 4, 5
ROWS_PER_WRITE = 2000
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (openpyxl's WINDOWS_EPOCH)
_EPOCH_UTC = _EPOCH.replace(tzinfo=UTC)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument"


@dataclass(frozen=True)
class Table:
    """One worksheet: a valid title, its header, rows and column widths."""

    title: str
    header: Sequence[object]
    rows: Iterable[Sequence[object]]
    widths: Sequence[int]


def workbook_bytes(
    tables: Sequence[Table], *, text: Callable[[object], str], created: datetime
) -> bytes:
    """The .xlsx of ``tables``: bold frozen headers, ``text`` for every text cell.

    ``created``: the package's creation time (naive or aware UTC).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        zf.writestr("docProps/app.xml", _APP.format(version=openpyxl_version))
        zf.writestr("docProps/core.xml", _CORE.format(stamp=stamp))
        zf.writestr("xl/theme/theme1.xml", theme_xml)
        cells = _Cells(text)
        for number, table in enumerate(tables, start=1):
            with zf.open(f"xl/worksheets/sheet{number}.xml", "w") as out:
                _write_sheet(out, table, cells)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(tables))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(tables)))
        zf.writestr("[Content_Types].xml", _content_types(len(tables)))
    return buffer.getvalue()


class _Cells:
    """Each value's XML after its ``<c r="A1"``: the rest of the element."""

    def __init__(self, text: Callable[[object], str]):
        self.text = text
        self.strings: dict[str, str] = {}

    def row(self, r: int, values: Sequence[object], refs: list[str]) -> str:
        rs = str(r)
        parts = [f'<row r="{rs}">']
        append = parts.append
        strings = self.strings
        if len(values) > len(refs):
            _extend(refs, len(values))
        for ref, value in zip(refs, values, strict=False):
            kind = type(value)
            if kind is str:
                rest = strings.get(value)
                if rest is None:
                    rest = strings[value] = self.string(value)
                append('<c r="' + ref + rs + rest)
            elif value is None:
                continue
            elif kind is int:
                append(f'<c r="{ref}{rs}" t="n"><v>{value:.16g}</v></c>')
            elif kind is datetime:
                serial = _serial(value)
                append(
                    f'<c r="{ref}{rs}" s="{DATETIME}" t="n"><v>{serial:.16g}</v></c>'
                )
            else:
                append('<c r="' + ref + rs + self.other(value))
        append("</row>")
        return "".join(parts)

    def header(self, values: Sequence[object], refs: list[str]) -> str:
        """The bold first row: text always as text (never an error code)."""
        _extend(refs, len(values))
        parts = ['<row r="1">']
        for ref, value in zip(refs, values, strict=False):
            start = f'<c r="{ref}1"'
            if value is None:
                parts.append(start + f' s="{BOLD}" t="n" />')
            elif isinstance(value, bool | int | float | Decimal | date):
                parts.append(start + self.typed(value, header=True))
            else:
                parts.append(
                    start + f' s="{BOLD}" t="inlineStr"' + _inline(self.text(value))
                )
        parts.append("</row>")
        return "".join(parts)

    def string(self, value: object) -> str:
        """A text cell's rest, as openpyxl writes it (an error code as an error)."""
        text = self.text(value)
        if text in ERROR_CODES:
            return f'" t="e"><v>{text}</v></c>'
        return '" t="inlineStr"' + _inline(text)

    def other(self, value: object) -> str:
        """The rest of a value that is not exactly a str or an int."""
        if isinstance(value, bool | int | float | Decimal | date):
            return '"' + self.typed(value)
        return self.string(value)

    @staticmethod
    def typed(value, *, header: bool = False) -> str:
        """A number, boolean, date or datetime, after the reference's quote."""
        style = f' s="{BOLD}"' if header else ""
        if isinstance(value, bool):
            return f'{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime):
            style = f' s="{BOLD_DATETIME if header else DATETIME}"'
            value = _serial(value)
        elif isinstance(value, date):
            style = f' s="{BOLD_DATE if header else DATE}"'
            value = to_excel(value)
        elif isinstance(value, float | Decimal) and not math.isfinite(value):
            return f'{style} t="n"><v></v></c>'
        return f'{style} t="n"><v>{float(value):.16g}</v></c>'


def _inline(text: str) -> str:
    """``><is><t>text</t></is></c>``: an empty text is an empty cell element."""
    if text == "":
        return " />"
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f"><is><t{space}>{escape(text)}</t></is></c>"


def _serial(value: datetime) -> float:
    """openpyxl's ``to_excel`` of the UTC time, in one subtraction.

    The same arithmetic (whole days, plus the seconds of the day over
    86,400), so the same float; dates before March 1900 (Excel's leap-year
    bug) go through ``to_excel`` itself.
    """
    delta = value - (_EPOCH_UTC if value.tzinfo is not None else _EPOCH)
    if delta.days <= 60:
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return to_excel(naive)
    return delta.days + (delta.seconds + delta.microseconds / 10**6) / 86400


def _extend(refs: list[str], count: int) -> None:
    refs.extend(get_column_letter(n) for n in range(len(refs) + 1, count + 1))


def _write_sheet(out, table: Table, cells: _Cells) -> None:
    cols = "".join(
        f'<col width="{width}" customWidth="1" min="{n}" max="{n}" />'
        for n, width in enumerate(table.widths, start=1)
    )
    refs: list[str] = []
    out.write(
        _SHEET_TOP.format(cols=f"<cols>{cols}</cols>" if cols else "").encode()
        + cells.header(table.header, refs).encode()
    )
    batch: list[str] = []
    for r, values in enumerate(table.rows, start=2):
        batch.append(cells.row(r, values, refs))
        if len(batch) == ROWS_PER_WRITE:
            out.write("".join(batch).encode())
            batch.clear()
    out.write(("".join(batch) + _SHEET_TAIL).encode())


def _workbook(tables: Sequence[Table]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(t.title)} sheetId="{n}" state="visible" r:id="rId{n}" />'
        for n, t in enumerate(tables, start=1)
    )
    return _WORKBOOK.format(sheets=sheets)


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Type="{DOC_RELS}/worksheet" '
        f'Target="/xl/worksheets/sheet{n}.xml" Id="rId{n}" />'
        for n in range(1, count + 1)
    )
    return (
        f'<Relationships xmlns="{RELS}">{sheets}'
        f'<Relationship Type="{DOC_RELS}/styles" Target="styles.xml" Id="rId{count + 1}" />'
        f'<Relationship Type="{DOC_RELS}/theme" Target="theme/theme1.xml" '
        f'Id="rId{count + 2}" /></Relationships>'
    )


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        f'ContentType="{CONTENT}.spreadsheetml.worksheet+xml" />'
        for n in range(1, count + 1)
    )
    return _CONTENT_TYPES.format(sheets=sheets)


_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Excel Compatible / Openpyxl '
    "{version}</Application><AppVersion>3.1</AppVersion></Properties>"
)
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>openpyxl'
    '</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    "</cp:coreProperties>"
)
_SHEET_TOP = (
    f'<worksheet xmlns="{MAIN}"><sheetPr><outlinePr summaryBelow="1" '
    'summaryRight="1" /><pageSetUpPr /></sheetPr><sheetViews><sheetView '
    'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen" /><selection pane="bottomLeft" activeCell="A1" sqref="A1" />'
    '</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
    "{cols}<sheetData>"
)
_SHEET_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" '
    'header="0.5" footer="0.5" /></worksheet>'
)
_XF = (
    '<xf numFmtId="{fmt}" fontId="{font}" fillId="0" borderId="0"{apply} '
    'pivotButton="0" quotePrefix="0" xfId="0" />'
)
_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2">'
    f'<numFmt numFmtId="164" formatCode="{DATETIME_FORMAT}" />'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}" /></numFmts>'
    '<fonts count="2"><font><name val="Calibri" /><family val="2" /><color theme="1" />'
    '<sz val="11" /><scheme val="minor" /></font><font><b val="1" /></font></fonts>'
    '<fills count="2"><fill><patternFill /></fill><fill><patternFill '
    'patternType="gray125" /></fill></fills><borders count="1"><border><left />'
    "<right /><top /><bottom /><diagonal /></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" />'
    '</cellStyleXfs><cellXfs count="6">'
    + "".join(
        _XF.format(fmt=fmt, font=font, apply=apply)
        for fmt, font, apply in (
            (0, 0, ""),
            (0, 1, ' applyFont="1"'),
            (164, 0, ' applyNumberFormat="1"'),
            (165, 0, ' applyNumberFormat="1"'),
            (164, 1, ' applyNumberFormat="1" applyFont="1"'),
            (165, 1, ' applyNumberFormat="1" applyFont="1"'),
        )
    )
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" '
    'hidden="0" /></cellStyles><tableStyles count="0" '
    'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16" />'
    "</styleSheet>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Type="{DOC_RELS}/officeDocument" '
    'Target="xl/workbook.xml" Id="rId1" />'
    f'<Relationship Type="{RELS}/metadata/core-properties" '
    'Target="docProps/core.xml" Id="rId2" />'
    f'<Relationship Type="{DOC_RELS}/extended-properties" '
    'Target="docProps/app.xml" Id="rId3" /></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns:r="{DOC_RELS}" xmlns="{MAIN}"><workbookPr /><workbookProtection />'
    '<bookViews><workbookView visibility="visible" minimized="0" '
    'showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" '
    'firstSheet="0" activeTab="0" autoFilterDateGrouping="1" /></bookViews>'
    '<sheets>{sheets}</sheets><definedNames /><calcPr calcId="124519" '
    'fullCalcOnLoad="1" /></workbook>'
)
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml" /><Default Extension="xml" ContentType="application/xml" />'
    f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.spreadsheetml.'
    'styles+xml" />'
    f'<Override PartName="/xl/theme/theme1.xml" ContentType="{CONTENT}.theme+xml" />'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
    'openxmlformats-package.core-properties+xml" />'
    f'<Override PartName="/docProps/app.xml" ContentType="{CONTENT}.extended-'
    'properties+xml" />{sheets}'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.spreadsheetml.'
    'sheet.main+xml" /></Types>'
)
