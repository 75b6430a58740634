"""Paper sheets at the service level: codes, printing, entry, CSV import."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.challenges.models import Priority
from consult.challenges.services import event_challenges
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.facilitators.paper.codes import (
    ALPHABET,
    BadCode,
    SheetCode,
    parse_code,
)
from consult.facilitators.paper.entry import (
    enter_priorities_sheet,
    enter_registration_sheet,
)
from consult.facilitators.paper.imports import (
    confirm_import,
    preview_import,
    template_header,
)
from consult.facilitators.paper.models import PaperImport
from consult.facilitators.paper.sheets import (
    PrintRequest,
    issue_sheets,
    sheet_code,
)
from consult.registration.models import Registration
from consult.registration.services.validation import RegistrationData


def person(name="Aminah Yusof", **extra) -> RegistrationData:
    values = {
        "full_name": name,
        "phone": "012 345 6789",
        "type_key": "informal",
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "language": "ms",
        "consent_privacy": True,
    }
    return RegistrationData(**{**values, **extra})


def test_a_code_reads_back_forgivingly_and_every_slip_is_caught():
    code = SheetCode(12, "R", 47)
    assert parse_code(str(code)) == code
    assert parse_code(" " + str(code).lower().replace("-", " ")) == code
    typed = str(code).replace("-", "")
    for i in range(len(typed)):
        for char in ALPHABET:
            slip = typed[:i] + char + typed[i + 1 :]
            if slip != typed:
                with pytest.raises(BadCode):
                    parse_code(slip)
    for i in range(len(typed) - 1):
        swapped = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
        if swapped != typed:
            with pytest.raises(BadCode):
                parse_code(swapped)


def test_printing_issues_a_new_code_per_copy(
    ch_event, organiser, make_facilitator, now
):
    facilitator = make_facilitator(ch_event)
    first = issue_sheets(ch_event, facilitator, PrintRequest("R", "en", 3), now=now)
    second = issue_sheets(ch_event, organiser, PrintRequest("P", "en", 2), now=now)
    numbers = [s.number for s in first + second]
    assert numbers == [1, 2, 3, 4, 5]
    codes = {sheet_code(s) for s in first + second}
    assert len(codes) == 5 and all(c.startswith(f"{ch_event.id}-") for c in codes)
    with pytest.raises(ValidationFailed) as refused:
        issue_sheets(ch_event, organiser, PrintRequest("R", "ko", 1), now=now)
    assert refused.value.field == "language"


def test_an_outsider_cannot_print(ch_event, make_facilitator, make_reg_event, now):
    other = make_reg_event(slug="other-event")
    stranger = make_facilitator(other, email="elsewhere@example.org")
    with pytest.raises(PermissionDenied):
        issue_sheets(ch_event, stranger, PrintRequest("R", "en", 1), now=now)


def test_entry_registers_then_records_priorities_once(ch_event, make_facilitator, now):
    facilitator = make_facilitator(ch_event)
    form, ballot = issue_sheets(
        ch_event, facilitator, PrintRequest("R", "en", 1), now=now
    ) + issue_sheets(ch_event, facilitator, PrintRequest("P", "en", 1), now=now)
    code = sheet_code(form)
    sheet, result = enter_registration_sheet(
        ch_event, facilitator, code, person(), now=now
    )
    registration = result.registration
    assert (registration.channel, registration.facilitated_by_id) == (
        "paper",
        facilitator.id,
    )
    assert (sheet.entered_by_id, sheet.registration_id) == (
        facilitator.id,
        registration.id,
    )
    db.session.commit()
    # The same sheet typed again is refused, and creates nobody.
    with pytest.raises(ValidationFailed, match="entered already"):
        enter_registration_sheet(ch_event, facilitator, code, person("Again"), now=now)
    ids = [c.id for c in event_challenges(ch_event)]
    with pytest.raises(ValidationFailed) as short:
        enter_priorities_sheet(
            ch_event, facilitator, sheet_code(ballot), code, {ids[0]: 3}, now=now
        )
    assert short.value.field == "values"
    db.session.rollback()
    assert db.session.get(type(ballot), ballot.id).entered_at is None
    enter_priorities_sheet(
        ch_event,
        facilitator,
        sheet_code(ballot),
        code,
        {ids[0]: 6, ids[1]: 4},
        now=now,
    )
    rows = db.session.scalars(
        select(Priority).where(Priority.registration_id == registration.id)
    ).all()
    assert sorted((r.points, r.channel) for r in rows) == [
        (0, "paper"),
        (4, "paper"),
        (6, "paper"),
    ]


def test_a_mistyped_or_foreign_code_is_refused(ch_event, make_facilitator, now):
    facilitator = make_facilitator(ch_event)
    (sheet,) = issue_sheets(ch_event, facilitator, PrintRequest("R", "en", 1), now=now)
    code = sheet_code(sheet)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(ValidationFailed, match="typing mistake"):
        enter_registration_sheet(ch_event, facilitator, wrong, person(), now=now)
    never = str(SheetCode(ch_event.id, "R", 999))
    with pytest.raises(ValidationFailed, match="No sheet"):
        enter_registration_sheet(ch_event, facilitator, never, person(), now=now)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def _csv(event, *rows) -> bytes:
    header = ",".join(template_header(event))
    return ("\n".join([header, *rows]) + "\n").encode()


def test_import_with_a_bad_row_creates_nothing(ch_event, make_facilitator, now):
    facilitator = make_facilitator(ch_event)
    ids = [c.id for c in event_challenges(ch_event)]
    assert template_header(ch_event)[-1].endswith(f"[p_{ids[-1]}]")
    good = "{},Aminah,012 345 6701,,informal,MY,yes,no,no,no,7,3,0"
    bad = "{},Badrul,012 345 6702,,nobody,MY,yes,no,no,no,,,"
    content = _csv(ch_event, good.format(""), bad.format(""))
    preview = preview_import(
        ch_event, facilitator, content, "sheets.csv", language="en", now=now
    )
    db.session.commit()
    assert preview.created == ["Aminah"]
    assert [(r.row, r.column) for r in preview.refused] == [(3, "stakeholder_type")]
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    with pytest.raises(ValidationFailed, match="nothing was imported"):
        confirm_import(ch_event, facilitator, preview.token, language="en", now=now)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert db.session.scalar(select(func.count(Priority.id))) == 0


def test_import_confirms_once(ch_event, make_facilitator, now):
    facilitator = make_facilitator(ch_event)
    content = _csv(
        ch_event,
        ",Aminah,012 345 6701,,informal,MY,yes,no,no,no,7,3,0",
        ",Chong Wei,,,informal,Malaysia,y,y,n,n,,,",
    )
    preview = preview_import(
        ch_event, facilitator, content, "sheets.csv", language="ms", now=now
    )
    db.session.commit()
    assert preview.can_import and preview.created == ["Aminah", "Chong Wei"]
    record, imported = confirm_import(
        ch_event, facilitator, preview.token, language="ms", now=now
    )
    db.session.commit()
    assert imported and record.created == 2
    people = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [(p.full_name, p.channel, p.language) for p in people] == [
        ("Aminah", "paper", "ms"),
        ("Chong Wei", "paper", "ms"),
    ]
    assert db.session.scalar(select(func.count(Priority.id))) == 3
    _again, imported = confirm_import(
        ch_event, facilitator, preview.token, language="ms", now=now
    )
    assert not imported
    assert db.session.scalar(select(func.count(Registration.id))) == 2
    with pytest.raises(ValidationFailed, match="imported already"):
        preview_import(ch_event, facilitator, content, "x.csv", language="ms", now=now)
    assert db.session.scalar(select(func.count(PaperImport.id))) == 1
