"""Entering paper sheets: a registration form makes a registration, a
priorities sheet saves the ballot of the person it names; both with
channel 'paper' and the account that typed them. Survey sheets:
consult.facilitators.paper.survey_entry.

A sheet is entered once: the first entry marks it (a conditional UPDATE, so
two people typing the same sheet at once cannot both save it), and typing it
again is refused with the record it made. Services flush and never commit.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from consult.challenges.services.priorities import check_ballot, save_priorities
from consult.errors import NotFound, Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.paper.sheets import require_paper, sheet_by_code
from consult.facilitators.services import (
    facilitated_person,
    facilitates,
    register_person,
)
from consult.registration.models import Registration
from consult.registration.services.register import RegistrationResult, register
from consult.registration.services.validation import RegistrationData

PAPER = "paper"


def sheet_to_enter(event: Event, actor, code: str, *, kind: str | None = None):
    """The printed sheet named by ``code``, not entered yet (of ``kind`` if given)."""
    require_paper(actor, event)
    sheet = sheet_by_code(event, code)
    if kind is not None and sheet.kind != kind:
        raise ValidationFailed(_("This code is for another kind of sheet."), "code")
    if sheet.entered_at is not None:
        raise ValidationFailed(_("This sheet was entered already."), "code")
    return sheet


def mark_entered(sheet: PaperSheet, actor, *, now: datetime) -> None:
    """Claim the sheet; refused when someone entered it meanwhile."""
    claimed = db.session.execute(
        update(PaperSheet)
        .where(PaperSheet.id == sheet.id, PaperSheet.entered_at.is_(None))
        .values(entered_at=now, entered_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ValidationFailed(_("This sheet was entered already."), "code")
    db.session.refresh(sheet)


def register_from_paper(
    event: Event, actor, data: RegistrationData, *, now: datetime
) -> RegistrationResult:
    """A registration from paper, on the record of the account that typed it."""
    require_paper(actor, event)
    data.role = "attendee"
    if facilitates(actor, event):
        return register_person(event, actor, data, PAPER, now=now)
    # An organiser: an assisted registration, from paper.
    return register(event, data, now=now, assisted_by=actor, channel=PAPER)


def enter_registration_sheet(
    event: Event, actor, code: str, data: RegistrationData, *, now: datetime
) -> tuple[PaperSheet, RegistrationResult]:
    """Register the person on a registration form; the sheet's code is then
    the person's reference, which their priorities sheet carries."""
    sheet = sheet_to_enter(event, actor, code, kind="R")
    mark_entered(sheet, actor, now=now)
    result = register_from_paper(event, actor, data, now=now)
    sheet.registration_id = result.registration.id
    db.session.flush()
    return sheet, result


def person_by_reference(event: Event, actor, reference: str) -> Registration:
    """The person whose registration form has this code, if ``actor`` may
    record for them (a facilitator: only the people they registered)."""
    sheet = sheet_by_code(event, reference, field="person")
    if sheet.kind != "R":
        raise ValidationFailed(
            _("Write the code of the person's registration form."), "person"
        )
    if sheet.registration_id is None:
        raise ValidationFailed(
            _("Enter this person's registration form first."), "person"
        )
    if facilitates(actor, event):
        try:
            return facilitated_person(event, actor, sheet.registration_id)
        except NotFound:  # said next to the field instead
            raise ValidationFailed(
                _("That person is not one of the people you registered."), "person"
            ) from None
    registration = db.session.get(Registration, sheet.registration_id)
    if registration is None or registration.erased_at is not None:
        raise ValidationFailed(_("This person's registration is gone."), "person")
    return registration


def check_priorities_sheet(
    event: Event, actor, reference: str, values: dict[int, int | None]
) -> Registration:
    """The person a priorities sheet names, or ValidationFailed with the
    problems of the reference and of the ballot together; nothing written."""
    problems = Problems()
    person = problems.take(person_by_reference, event, actor, reference)
    problems.take(check_ballot, event, values)
    problems.raise_any()
    return person


def enter_priorities_sheet(
    event: Event,
    actor,
    code: str,
    reference: str,
    values: dict[int, int | None],
    *,
    now: datetime,
) -> tuple[PaperSheet, Registration]:
    """Save the ballot written on a priorities sheet for the person it names."""
    sheet = sheet_to_enter(event, actor, code, kind="P")
    person = check_priorities_sheet(event, actor, reference, values)
    mark_entered(sheet, actor, now=now)
    save_priorities(person, values, now=now, facilitated_by=actor, channel=PAPER)
    sheet.registration_id = person.id
    db.session.flush()
    return sheet, person
