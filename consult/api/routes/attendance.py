"""An event's attendance: who came, and a Zoom or Teams report imported.

Both need a token whose owner manages the event (owner, co-organiser,
admin); any other event is 404, whether it exists or not. The import is the
organiser's own (consult/registration/attendance/): the same reading of the
file, the same matching, the same Apply.
"""

from __future__ import annotations

from flask_babel import gettext as _
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.schemas_participation import (
    AttendanceFilter,
    AttendanceImportResult,
    AttendancePage,
    AttendanceUpload,
    ImportRecord,
)
from consult.api.services.attendance import (
    attendance_page,
    attendance_totals,
    import_report,
)
from consult.api.services.queries import managed_event
from consult.dashboard.services.queries import attendance_known
from consult.extensions import db
from consult.registration.attendance.parsers import MAX_REPORT_BYTES
from consult.registration.attendance.services import recent_imports
from consult.timeutil import local_date, now_utc


class MultipartParser(FlaskParser):
    """A multipart/form-data body's fields and files, read as one."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


class UploadBlueprint(ApiBlueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **ApiBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = UploadBlueprint(
    "api_attendance",
    __name__,
    url_prefix=PREFIX + "/events/<slug>/attendance",
    description="Attendance of an event you manage, and reports imported.",
)


def _type(kind) -> dict:
    return {"id": kind.id, "key": kind.key, "label": kind.label}


def _figure(attendance) -> dict:
    return {
        "registered": attendance.confirmed,
        "attended": attendance.attended,
        "rate": attendance.rate,
    }


def _record(row) -> dict | None:
    if row is None:
        return None
    return {name: getattr(row, name) for name in ImportRecord._declared_fields}


def attendance_view(event, page, came: set[int], totals) -> dict:
    """A page of the attendance base, and the event's totals and imports."""
    return {
        "items": [
            {
                "registration_id": r.id,
                "full_name": r.full_name,
                "email": r.email,
                "stakeholder_type": _type(r.stakeholder_type),
                "attended": r.id in came,
                "checked_in_at": r.checked_in_at,
                "attended_minutes": r.attended_minutes,
            }
            for r in page.items
        ],
        "next_cursor": page.next_cursor,
        "totals": {
            **_figure(totals.whole),
            "by_stakeholder_type": [
                {"stakeholder_type": _type(kind), **_figure(figure)}
                for kind, figure in totals.by_type
            ],
        },
        "known": attendance_known(event, now_utc()),
        "completed_at": event.attendance_completed_at,
        "imports": [_record(row) for row in recent_imports(event)],
        "event_timezone": event.timezone,
    }


@blp.route("")
@needs("registrations:read")
@blp.etag
@blp.arguments(AttendanceFilter, location="query", as_kwargs=True)
@blp.response(200, AttendancePage)
@document_errors(blp, 404)
def attendance(slug: str, **filters):
    """Confirmed registrants by id, whether each attended (checked in, or
    by an imported report), with the dashboard's totals; filter by
    `attended`, pages of `limit` with an opaque `next_cursor`."""
    event = managed_event(api_user(), slug)
    page, came = attendance_page(event, **filters)
    return attendance_view(event, page, came, attendance_totals(event))


def _person(person, rows: dict[int, int]) -> dict:
    return {
        "row": rows[id(person)],
        **{
            name: getattr(person, name)
            for name in ("name", "email", "role", "minutes", "first_join", "last_leave")
        },
    }


def import_view(event, result) -> dict:
    """The preview as the page shows it, and the applied import's record."""
    preview = result.preview
    report = preview.report
    rows = {id(person): index for index, person in enumerate(report.people)}
    refusal = _(
        "They appear in the report, but only confirmed registrants can be "
        "marked as attended."
    )
    return {
        "applied": result.record is not None,
        "source": report.source,
        "filename": report.filename,
        "zone": report.zone,
        "threshold_minutes": preview.threshold_minutes,
        "attended_count": preview.attended_count,
        "matched": [
            {
                "registration_id": row.registration.id,
                "full_name": row.registration.full_name,
                "matched_by": row.matched_by,
                "minutes": row.minutes,
                "first_join": row.first_join,
                "last_leave": row.last_leave,
                "attended": row.reaches_threshold,
                "people": [_person(person, rows) for person in row.people],
            }
            for row in preview.matched
        ],
        "refused": [
            {
                "registration_id": row.registration.id,
                "full_name": row.registration.full_name,
                "status": row.registration.status,
                "minutes": row.minutes,
                "reason": refusal,
            }
            for row in preview.not_confirmed
        ],
        "unmatched": [_person(person, rows) for person in preview.unmatched],
        "absent": [
            {"registration_id": r.id, "full_name": r.full_name} for r in preview.absent
        ],
        "stray_days": [local_date(m, event.timezone) for m in preview.stray_days],
        "previous_import": _record(preview.previous),
        "record": _record(result.record),
        "event_timezone": event.timezone,
    }


@blp.route("/imports", methods=["POST"])
@needs("registrations:write")
@blp.arguments(AttendanceUpload, location="multipart")
@blp.response(201, AttendanceImportResult)
@blp.alt_response(
    200,
    schema=AttendanceImportResult,
    description="A dry run, or a report applied before: nothing changed",
)
@document_errors(blp, 404, 413)
def import_attendance(payload: dict, slug: str):
    """Preview (`dry_run=true`) or apply a Zoom or Teams participant report
    as the organiser's import page does: matched confirmed registrants are
    marked attended or not by the threshold, the others listed; a report
    that cannot be read is refused whole (422) and nothing changes."""
    user = api_user()
    event = managed_event(user, slug)
    report = payload["report"]
    result = import_report(
        event,
        user,
        report.stream.read(MAX_REPORT_BYTES + 1),
        filename=report.filename or "",
        zone=payload["zone"],
        threshold_minutes=payload["threshold_minutes"],
        links=payload["links"],
        dry_run=payload["dry_run"],
        now=now_utc(),
    )
    if not payload["dry_run"]:
        db.session.commit()
    return import_view(event, result), 201 if result.created else 200
