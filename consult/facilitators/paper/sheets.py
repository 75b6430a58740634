"""Printing paper sheets: who may, which sheets, and their reference codes.

Codes are issued when a sheet is printed and stored (consult.facilitators.
paper.codes says why). Services take ``now``, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.content import event_languages
from consult.errors import PermissionDenied, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.paper.codes import BadCode, SheetCode, parse_code
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.services import facilitates
from consult.registration.services.seats import lock_event
from consult.surveys.models import Survey
from consult.surveys.services.builder import event_surveys

MAX_COPIES = 100
KIND_LABELS = {
    "R": _l("Registration form"),
    "P": _l("Priorities sheet"),
    "S": _l("Survey"),
}


def may_use_paper(user, event: Event) -> bool:
    """The event's organisers and its facilitators print and enter sheets."""
    return can_manage(user, event) or facilitates(user, event)


def require_paper(actor, event: Event) -> None:
    if not may_use_paper(actor, event):
        raise PermissionDenied(_("You cannot print or enter this event's sheets."))


def sheet_code(sheet: PaperSheet) -> str:
    return str(SheetCode(sheet.event_id, sheet.kind, sheet.number))


@dataclass(frozen=True)
class PrintRequest:
    kind: str  # "R", "P" or "S"
    language: str
    copies: int
    survey_id: int | None = None


def _checked(event: Event, request: PrintRequest) -> Survey | None:
    if request.kind not in KIND_LABELS:
        raise ValidationFailed(_("Choose a sheet from the list."), "sheet")
    if request.language not in event_languages(event):
        raise ValidationFailed(_("Choose one of the event's languages."), "language")
    if not 1 <= request.copies <= MAX_COPIES:
        raise ValidationFailed(
            _("The number of copies goes from 1 to %(n)d.", n=MAX_COPIES), "copies"
        )
    if request.kind != "S":
        return None
    survey = next((s for s in event_surveys(event) if s.id == request.survey_id), None)
    if survey is None:
        raise ValidationFailed(_("Choose a sheet from the list."), "sheet")
    return survey


def issue_sheets(
    event: Event, actor, request: PrintRequest, *, now: datetime
) -> list[PaperSheet]:
    """``copies`` new sheets of one kind, each with the event's next number."""
    require_paper(actor, event)
    survey = _checked(event, request)
    lock_event(event.id)  # numbers are per event: one printer at a time
    last = db.session.scalar(
        select(func.max(PaperSheet.number)).where(PaperSheet.event_id == event.id)
    )
    sheets = [
        PaperSheet(
            event_id=event.id,
            number=(last or 0) + offset,
            kind=request.kind,
            survey_id=survey.id if survey else None,
            language=request.language,
            printed_at=now,
            printed_by_id=actor.id,
        )
        for offset in range(1, request.copies + 1)
    ]
    db.session.add_all(sheets)
    db.session.flush()
    return sheets


def sheet_by_code(event: Event, text: str, *, field: str = "code") -> PaperSheet:
    """The printed sheet of this event that ``text`` names, or a refusal
    saying what is wrong with the code (next to ``field``)."""
    try:
        code = parse_code(text)
    except BadCode as exc:
        if exc.reason == "check":
            raise ValidationFailed(
                _("This code has a typing mistake: check each character."), field
            ) from None
        raise ValidationFailed(
            _("Type the code printed at the top of the sheet, e.g. 12-R0047-K."),
            field,
        ) from None
    if code.event_id != event.id:
        raise ValidationFailed(_("This sheet belongs to another event."), field)
    sheet = db.session.scalar(
        select(PaperSheet).where(
            PaperSheet.event_id == event.id, PaperSheet.number == code.number
        )
    )
    if sheet is None or sheet.kind != code.kind:
        raise ValidationFailed(_("No sheet with this code was printed."), field)
    return sheet


def printed_sheets(event: Event, actor, *, limit: int = 50) -> list[PaperSheet]:
    """The sheets this account printed for the event, newest first."""
    require_paper(actor, event)
    return list(
        db.session.scalars(
            select(PaperSheet)
            .where(
                PaperSheet.event_id == event.id, PaperSheet.printed_by_id == actor.id
            )
            .order_by(PaperSheet.number.desc())
            .limit(limit)
        )
    )
