"""An event's attendance through the API: who came, page by page, with the
dashboard's totals; and a Zoom or Teams report previewed or applied by the
organiser's own import services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import not_, select

from consult.api.services.queries import Page, _page, event_types
from consult.dashboard.services.queries import Attendance, attendance_by_type
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration import counting
from consult.registration.attendance.parsers import parse_report
from consult.registration.attendance.services import (
    ImportPreview,
    apply_import,
    preview_import,
)
from consult.registration.models import AttendanceImport, Registration
from consult.timeutil import is_valid_timezone


@dataclass
class AttendanceTotals:
    whole: Attendance
    by_type: list  # (StakeholderType, Attendance), in the types' order


def attendance_totals(event) -> AttendanceTotals:
    """The dashboard's attendance figures: the whole event and per type."""
    per_type = attendance_by_type(event)
    whole = Attendance(
        sum(a.confirmed for a in per_type.values()),
        sum(a.attended for a in per_type.values()),
    )
    return AttendanceTotals(
        whole,
        [
            (kind, per_type.get(kind.id, Attendance(0, 0)))
            for kind in event_types(event)
        ],
    )


def attendance_page(
    event, *, attended: bool | None = None, cursor: str | None = None, limit: int = 50
) -> tuple[Page, set[int]]:
    """The attendance base (``counting.attendee_base``) by id, and the ids
    on the page who attended (``counting.attended``)."""
    query = select(Registration).where(
        Registration.event_id == event.id, counting.attendee_base()
    )
    if attended is not None:
        came = counting.attended()
        query = query.where(came if attended else not_(came))
    page = _page(query, cursor, limit, Registration.id)
    ids = [registration.id for registration in page.items]
    came_ids = set()
    if ids:
        came_ids = set(
            db.session.scalars(
                select(Registration.id).where(
                    Registration.id.in_(ids), counting.attended()
                )
            )
        )
    return page, came_ids


@dataclass
class ReportImport:
    """A report's preview and, when applied, its record."""

    preview: ImportPreview
    zone: str
    record: AttendanceImport | None = None

    @property
    def created(self) -> bool:
        """A new record: the import changed something (or was never applied)."""
        return self.record is not None and self.record is not self.preview.previous


def _links(values: list[str]) -> dict[int, int]:
    links = {}
    for value in values:
        row, _sep, registration_id = value.partition(":")
        links[int(row)] = int(registration_id)
    return links


def _as_links_errors(exc: ValidationFailed) -> ValidationFailed:
    """The import's refusals of hand-made links (``link-<row>``) named after
    the API's field: ``links.<row>``."""
    return ValidationFailed.of(
        [
            ((f"links.{field.removeprefix('link-')}" if field else "links"), message)
            for field, message in exc.problems
        ]
    )


def import_report(
    event,
    actor,
    data: bytes,
    *,
    filename: str,
    zone: str | None,
    threshold_minutes: int | None,
    links: list[str],
    dry_run: bool,
    now: datetime,
) -> ReportImport:
    """Read a report and preview it; unless ``dry_run``, apply it as the
    organiser's Apply does (the attendance-imported fact announced)."""
    zone = zone or event.timezone
    if not is_valid_timezone(zone):
        raise ValidationFailed(_("Choose a time zone from the list."), "zone")
    if threshold_minutes is None:
        threshold_minutes = event.attendance_threshold_minutes
    report = parse_report(data, filename=filename[:255], zone=zone)
    chosen = _links(links)
    try:
        preview = preview_import(
            event, report, threshold_minutes=threshold_minutes, links=chosen
        )
    except ValidationFailed as exc:
        raise _as_links_errors(exc) from None
    result = ReportImport(preview, zone)
    if not dry_run:
        result.record = apply_import(
            event,
            actor,
            report,
            threshold_minutes=threshold_minutes,
            now=now,
            filename=report.filename,
            links=chosen,
        )
    return result
