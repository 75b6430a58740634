"""CSV import of paper registration forms (with the person's priorities).

The template has one column per field of the registration form, then one per
challenge; each header reads ``<label in the chosen language> [<key>]``, and
only the key in brackets counts, so a file keeps working whatever language
its headers are in (a bare key is accepted too).

A file is first previewed: every row goes through the same services as the
entry page, inside a savepoint that is rolled back, so the preview says
exactly what would be created and what would be refused, and why (row,
column, reason). The preview stores the file with a random token
(``PaperImport``); confirming runs the rows again, in one transaction: one
refused row refuses the whole file, and a token confirmed already is not
imported twice (a conditional UPDATE claims it). Services flush, never commit.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from consult.challenges.services import event_challenges
from consult.challenges.services.priorities import save_priorities
from consult.content import text_in
from consult.errors import DomainError, NotFound, Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.paper.entry import (
    PAPER,
    mark_entered,
    register_from_paper,
    sheet_to_enter,
)
from consult.facilitators.paper.models import PaperImport
from consult.facilitators.paper.sheets import require_paper
from consult.registration.countries import country_choices
from consult.registration.services.seats import stakeholder_types
from consult.registration.services.validation import RegistrationData, questions_for

MAX_CSV_BYTES = 1024 * 1024
MAX_ROWS = 1000
CONSENTS = (
    "consent_privacy",
    "consent_recording",
    "consent_listing",
    "consent_followup",
)
YES = {"y", "yes", "x", "1", "true", "✓", "✔"}
NO = {"", "n", "no", "0", "false"}
# A service's field -> the column it came from.
FIELD_COLUMNS = {"code": "sheet_code", "type_key": "stakeholder_type"}
_KEY = re.compile(r"\[([a-z0-9_]+)\]\s*$")


def template_columns(event: Event) -> list[tuple[str, str]]:
    """(key, label) of every column, in the order of the paper form."""
    columns = [
        ("sheet_code", _("Sheet code (optional)")),
        ("full_name", _("Full name")),
        ("phone", _("Phone number")),
        ("email", _("Email (if they have one)")),
        ("stakeholder_type", _("Stakeholder type")),
        ("country", _("Country")),
    ]
    columns += [(f"q_{q.id}", text_in(q, "label")) for q in questions_for(event)]
    columns += [
        ("consent_privacy", _("Agreed to the privacy notice (yes/no)")),
        ("consent_recording", _("Agrees to being recorded (yes/no)")),
        ("consent_listing", _("Agrees to appear in the participant list (yes/no)")),
        ("consent_followup", _("Agrees to follow-up messages (yes/no)")),
    ]
    columns += [(f"p_{c.id}", text_in(c, "title")) for c in event_challenges(event)]
    return columns


def template_header(event: Event) -> list[str]:
    """The template's header row, in the language being composed: ``label [key]``."""
    return [f"{label} [{key}]" for key, label in template_columns(event)]


@dataclass
class Refusal:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str


@dataclass
class Preview:
    token: str
    created: list[str] = field(default_factory=list)  # names, in file order
    refused: list[Refusal] = field(default_factory=list)
    rows: int = 0

    @property
    def refused_rows(self) -> int:
        """How many rows are refused (``refused`` has each problem of each)."""
        return len({refusal.row for refusal in self.refused})

    @property
    def can_import(self) -> bool:
        return self.rows > 0 and not self.refused


def _read(content: str, event: Event) -> tuple[list[str], list[list[str]]]:
    """The column keys and the data rows; ValidationFailed for a bad file."""
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(content), dialect))
    if not rows:
        raise ValidationFailed(_("The file is empty."), "file")
    keys = []
    for cell in rows[0]:
        match = _KEY.search(cell.strip())
        keys.append(match.group(1) if match else cell.strip().lower())
    known = {key for key, _label in template_columns(event)}
    unknown = [k for k in keys if k and k not in known]
    if unknown:
        raise ValidationFailed(
            _(
                "Unknown columns: %(names)s. Start from the template.",
                names=", ".join(unknown),
            ),
            "file",
        )
    if "full_name" not in keys:
        raise ValidationFailed(_("The file has no full_name column."), "file")
    data = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(data) > MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d rows per file.", n=MAX_ROWS), "file")
    return keys, data


def _yes(value: str, column: str) -> bool:
    cleaned = value.strip().lower()
    if cleaned in YES or cleaned == _("Yes").lower():
        return True
    if cleaned in NO or cleaned == _("No").lower():
        return False
    raise ValidationFailed(_("Write yes or no."), column)


class _Lookups:
    def __init__(self, event: Event):
        self.types = {}
        for t in stakeholder_types(event):
            for name in (
                t.key,
                t.label,
                *(v.get("label", "") for v in (t.translations or {}).values()),
            ):
                if name:
                    self.types[name.strip().lower()] = t.key
        self.countries = {}
        for code, name in country_choices("en"):
            self.countries[code.lower()] = code
            self.countries[name.lower()] = code
        self.challenges = [c.id for c in event_challenges(event)]


def _row_data(
    values: dict[str, str], lookups: _Lookups, language: str, problems: Problems
) -> RegistrationData:
    """The row as a registration; a consent neither yes nor no is noted in
    ``problems`` (and read as no, for the row's other checks)."""
    type_text = values.get("stakeholder_type", "").strip().lower()
    country_text = values.get("country", "").strip().lower()
    return RegistrationData(
        full_name=values.get("full_name", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        type_key=lookups.types.get(type_text, type_text),
        country=lookups.countries.get(country_text, country_text.upper()),
        timezone=values.get("_timezone", "UTC"),
        language=language,
        answers={k[2:]: v for k, v in values.items() if k.startswith("q_")},
        **{c: bool(problems.take(_yes, values.get(c, ""), c)) for c in CONSENTS},
    )


def _priorities(
    values: dict[str, str], lookups: _Lookups
) -> dict[int, int | None] | None:
    given = {cid: values.get(f"p_{cid}", "").strip() for cid in lookups.challenges}
    if not any(given.values()):
        return None
    result = {}
    problems = Problems()
    for cid, text in given.items():
        if text and not text.isdigit():
            problems.add(_("Write a whole number."), f"p_{cid}")
            continue
        result[cid] = int(text) if text else 0
    problems.raise_any()
    return result


def _import_row(event, actor, values, lookups, *, language, now) -> str:
    """Import one row (in the caller's savepoint), or refuse it with every
    problem of the row: its code, consents, numbers, the registration's
    rules and the ballot's."""
    problems = Problems()
    code = values.get("sheet_code", "").strip()
    sheet = (
        problems.take(sheet_to_enter, event, actor, code, kind="R") if code else None
    )
    data = _row_data(values, lookups, language, problems)
    ballot = problems.take(_priorities, values, lookups)
    if sheet is not None and not problems:
        mark_entered(sheet, actor, now=now)
    # The registration's rules too, even when the row has other problems
    # (the savepoint undoes it).
    result = problems.take(register_from_paper, event, actor, data, now=now)
    if result is not None and ballot is not None:
        first = f"p_{lookups.challenges[0]}"
        try:
            save_priorities(
                result.registration,
                ballot,
                now=now,
                facilitated_by=actor,
                channel=PAPER,
            )
        except DomainError as exc:
            for name, message in exc.problems:
                problems.add(message, first if name in (None, "values") else name)
    problems.raise_any()
    if sheet is not None:
        sheet.registration_id = result.registration.id
    return result.registration.full_name


def _run(event, actor, content: str, *, language: str, now: datetime) -> Preview:
    """Every row, each in its savepoint; refused rows leave nothing behind."""
    keys, rows = _read(content, event)
    lookups = _Lookups(event)
    preview = Preview(token="", rows=len(rows))
    for number, row in enumerate(rows, start=2):
        values = {k: (row[i] if i < len(row) else "") for i, k in enumerate(keys) if k}
        values["_timezone"] = event.timezone
        savepoint = db.session.begin_nested()
        try:
            preview.created.append(
                _import_row(event, actor, values, lookups, language=language, now=now)
            )
            savepoint.commit()
        except DomainError as exc:
            savepoint.rollback()
            for name, message in exc.problems:
                column = FIELD_COLUMNS.get(name or "", name or "")
                preview.refused.append(Refusal(number, column, message))
    return preview


def preview_import(
    event: Event, actor, content: bytes, filename: str, *, language: str, now: datetime
) -> Preview:
    """What importing the file would create and refuse; nothing is created.
    The file is kept with a token for the confirm step."""
    require_paper(actor, event)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("Save the file as CSV in UTF-8."), "file") from None
    digest = hashlib.sha256(content).hexdigest()
    done = db.session.scalar(
        select(PaperImport.id).where(
            PaperImport.event_id == event.id,
            PaperImport.sha256 == digest,
            PaperImport.confirmed_at.is_not(None),
        )
    )
    if done is not None:
        raise ValidationFailed(_("This file was imported already."), "file")
    outer = db.session.begin_nested()
    try:
        preview = _run(event, actor, text, language=language, now=now)
    finally:
        outer.rollback()  # a preview creates nothing
    token = secrets.token_urlsafe(32)
    db.session.add(
        PaperImport(
            event_id=event.id,
            token=token,
            sha256=digest,
            filename=filename[:255],
            content=text,
            uploaded_at=now,
            uploaded_by_id=actor.id,
            created=0,
        )
    )
    db.session.flush()
    preview.token = token
    return preview


def confirm_import(event: Event, actor, token: str, *, language: str, now: datetime):
    """Import a previewed file, all of it or nothing. Returns (PaperImport,
    True) when this call imported it, (PaperImport, False) when it was
    imported already (a second click, a reloaded page)."""
    require_paper(actor, event)
    record = db.session.scalar(
        select(PaperImport).where(
            PaperImport.event_id == event.id,
            PaperImport.token == (token or ""),
            PaperImport.uploaded_by_id == actor.id,
        )
    )
    if record is None:
        raise NotFound(_("No such import: upload the file again."))
    claimed = db.session.execute(
        update(PaperImport)
        .where(PaperImport.id == record.id, PaperImport.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(record)
    if claimed != 1:
        return record, False
    preview = _run(event, actor, record.content, language=language, now=now)
    if not preview.can_import:
        raise ValidationFailed(
            _(
                "Some rows are refused: nothing was imported. Correct the file and upload it again."
            ),
            "file",
        )
    record.created = len(preview.created)
    db.session.flush()
    return record, True
