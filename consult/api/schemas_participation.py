"""Schemas of an event's participation: attendance (read and imported),
challenges and inputs. The shared pieces (UTC times, paging, type
references) come from ``consult.api.schemas``."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate
from werkzeug.datastructures import FileStorage

from consult.api.schemas import PageArgs, TypeRef, UTCDateTimeField
from consult.challenges.models import INPUT_KINDS, INPUT_STATES
from consult.registration.models import REGISTRATION_STATUSES

EVENT_ZONE = {"description": "The event's IANA time zone."}


def _zone():
    return fields.String(required=True, metadata=EVENT_ZONE)


# ---- attendance ---------------------------------------------------------


class AttendanceRow(ma.Schema):
    """A confirmed registration and whether they attended."""

    registration_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    email = fields.String(allow_none=True, required=True)
    stakeholder_type = fields.Nested(TypeRef, required=True)
    attended = fields.Boolean(
        required=True,
        metadata={"description": "Checked in, or attended by an imported report."},
    )
    checked_in_at = UTCDateTimeField(allow_none=True, required=True)
    attended_minutes = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The longest time any imported report gave."},
    )


class AttendanceFigure(ma.Schema):
    registered = fields.Integer(
        required=True, metadata={"description": "Confirmed registrants."}
    )
    attended = fields.Integer(required=True)
    rate = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "attended / registered; null when none."},
    )


class TypeAttendance(AttendanceFigure):
    stakeholder_type = fields.Nested(TypeRef, required=True)


class AttendanceTotals(AttendanceFigure):
    """The dashboard's figures (consult/registration/counting.py)."""

    by_stakeholder_type = fields.List(fields.Nested(TypeAttendance), required=True)


class ImportRecord(ma.Schema):
    """An applied attendance report."""

    id = fields.Integer(required=True)
    source = fields.String(required=True, validate=validate.OneOf(("zoom", "teams")))
    filename = fields.String(required=True)
    threshold_minutes = fields.Integer(required=True)
    matched = fields.Integer(required=True)
    unmatched = fields.Integer(required=True)
    imported_at = UTCDateTimeField(required=True)


class AttendancePage(ma.Schema):
    items = fields.List(fields.Nested(AttendanceRow), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    totals = fields.Nested(AttendanceTotals, required=True)
    known = fields.Boolean(
        required=True, metadata={"description": "The event has started."}
    )
    completed_at = UTCDateTimeField(
        allow_none=True,
        required=True,
        metadata={"description": "When the attendance was declared complete."},
    )
    imports = fields.List(
        fields.Nested(ImportRecord),
        required=True,
        metadata={"description": "The latest applied reports, newest first."},
    )
    event_timezone = _zone()


class AttendanceFilter(PageArgs):
    attended = fields.Boolean(
        load_default=None,
        metadata={"description": "Only those who attended (true) or not (false)."},
    )


ROW_LINK = r"^\d{1,6}:\d{1,18}$"


class ReportFile(Upload):
    """A file part of the body (a plain field of that name is refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ma.ValidationError("Send the report as a file.")
        return value


class AttendanceUpload(ma.Schema):
    """A Zoom or Teams participant report, as on the organiser's page."""

    report = ReportFile(
        required=True,
        metadata={"description": "The CSV file as downloaded (at most 2 MB)."},
    )
    zone = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={
            "description": "IANA zone of the report's times (default: the event's)."
        },
    )
    threshold_minutes = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=24 * 60),
        metadata={
            "description": "Minutes needed to count (default: the event's setting)."
        },
    )
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Only the preview: nothing is changed."},
    )
    links = fields.List(
        fields.String(
            validate=validate.Regexp(
                ROW_LINK, error="Give <row>:<registration id>, e.g. 3:41."
            )
        ),
        load_default=list,
        validate=validate.Length(max=2000),
        metadata={
            "description": "Matches made by hand: `<row>:<registration id>`, "
            "a row of the report (`row` in the preview) and a confirmed "
            "registrant."
        },
    )


class ReportPerson(ma.Schema):
    """One person of the report, every join added up."""

    row = fields.Integer(
        required=True, metadata={"description": "The person's place in the report."}
    )
    name = fields.String(required=True)
    email = fields.String(allow_none=True, required=True)
    role = fields.String(required=True)
    minutes = fields.Integer(required=True)
    first_join = UTCDateTimeField(allow_none=True, required=True)
    last_leave = UTCDateTimeField(allow_none=True, required=True)


class MatchedRegistrant(ma.Schema):
    registration_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    matched_by = fields.String(
        required=True, validate=validate.OneOf(("email", "name", "hand"))
    )
    minutes = fields.Integer(required=True)
    first_join = UTCDateTimeField(allow_none=True, required=True)
    last_leave = UTCDateTimeField(allow_none=True, required=True)
    attended = fields.Boolean(
        required=True, metadata={"description": "Reaches the threshold."}
    )
    people = fields.List(fields.Nested(ReportPerson), required=True)


class RefusedRegistrant(ma.Schema):
    """In the report, but not confirmed: left as they are."""

    registration_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(REGISTRATION_STATUSES)
    )
    minutes = fields.Integer(required=True)
    reason = fields.String(required=True)


class AbsentRegistrant(ma.Schema):
    registration_id = fields.Integer(required=True)
    full_name = fields.String(required=True)


class AttendanceImportResult(ma.Schema):
    """What the report holds and what applying it does (or did)."""

    applied = fields.Boolean(required=True)
    source = fields.String(required=True, validate=validate.OneOf(("zoom", "teams")))
    filename = fields.String(required=True)
    zone = fields.String(required=True)
    threshold_minutes = fields.Integer(required=True)
    attended_count = fields.Integer(
        required=True,
        metadata={"description": "Confirmed registrants marked as attended."},
    )
    matched = fields.List(fields.Nested(MatchedRegistrant), required=True)
    refused = fields.List(fields.Nested(RefusedRegistrant), required=True)
    unmatched = fields.List(fields.Nested(ReportPerson), required=True)
    absent = fields.List(
        fields.Nested(AbsentRegistrant),
        required=True,
        metadata={"description": "Confirmed, not in the report: left as they are."},
    )
    stray_days = fields.List(
        fields.Date(),
        required=True,
        metadata={
            "description": "Days of the report's times, in the event's zone, "
            "that are not the event's: another session, or the wrong zone?"
        },
    )
    previous_import = fields.Nested(
        ImportRecord,
        allow_none=True,
        required=True,
        metadata={"description": "The same file and threshold, applied before."},
    )
    record = fields.Nested(
        ImportRecord,
        allow_none=True,
        required=True,
        metadata={"description": "The applied import; null on a dry run."},
    )
    event_timezone = _zone()


# ---- challenges and inputs ---------------------------------------------


class ChallengeItem(ma.Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True, metadata={"description": "Markdown."})
    category = fields.String(required=True)
    city = fields.String(required=True)
    lineage = fields.Integer(
        required=True,
        metadata={
            "description": "The same challenge across events: the id of its "
            "chain's first challenge (its own id when it has none)."
        },
    )
    translations = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        required=True,
        metadata={"description": "Language -> field -> text."},
    )
    archived_at = UTCDateTimeField(
        allow_none=True,
        required=True,
        metadata={"description": "Archived challenges: organisers only."},
    )
    updated_at = UTCDateTimeField(required=True)


class ChallengeList(ma.Schema):
    items = fields.List(fields.Nested(ChallengeItem), required=True)


class ChallengeRef(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


AUTHOR_GROUPS = ("stakeholder_type", "invited_expert", "other")


class InputAuthor(ma.Schema):
    group = fields.String(
        required=True,
        validate=validate.OneOf(AUTHOR_GROUPS),
        metadata={
            "description": "A registrant's current stakeholder type, an "
            "invited expert, or (to readers who do not manage the event) "
            "`other`: the groups too small to show alone, combined."
        },
    )
    stakeholder_type = fields.Nested(TypeRef, allow_none=True, required=True)
    name = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "To others only when the author agreed."},
    )
    organisation = fields.String(allow_none=True, required=True)


class InputItem(ma.Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(INPUT_STATES))
    kind = fields.String(required=True, validate=validate.OneOf(INPUT_KINDS))
    challenge = fields.Nested(
        ChallengeRef,
        allow_none=True,
        required=True,
        metadata={"description": "null: a general input."},
    )
    title = fields.String(required=True)
    body = fields.String(required=True, metadata={"description": "Markdown."})
    category = fields.String(allow_none=True, required=True)
    city = fields.String(required=True)
    country = fields.String(required=True)
    organisation = fields.String(required=True)
    period = fields.String(required=True)
    results = fields.String(required=True)
    links = fields.String(required=True, metadata={"description": "One URL a line."})
    lead = fields.String(required=True)
    partners = fields.String(required=True)
    budget_range = fields.String(required=True)
    timeline = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    answer = fields.String(
        required=True, metadata={"description": "The organisers' public answer."}
    )
    answered_at = UTCDateTimeField(allow_none=True, required=True)
    selected_for_plan = fields.Boolean(required=True)
    is_expert = fields.Boolean(required=True)
    is_demo = fields.Boolean(required=True)
    supports = fields.Integer(required=True)
    author = fields.Nested(InputAuthor, required=True)
    hidden_reason = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Organisers only (null to others)."},
    )
    merged_into = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The input it was merged into (organisers)."},
    )
    created_at = UTCDateTimeField(required=True)
    published_at = UTCDateTimeField(allow_none=True, required=True)
    updated_at = UTCDateTimeField(required=True)
    event_timezone = _zone()


class InputPage(ma.Schema):
    items = fields.List(fields.Nested(InputItem), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class InputFilter(PageArgs):
    state = fields.String(
        load_default=None,
        validate=validate.OneOf(INPUT_STATES),
        metadata={"description": "Readers who do not manage the event: published."},
    )
    challenge = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^(\d{1,9}|general)$"),
        metadata={"description": "A challenge's id, or `general`."},
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(INPUT_KINDS))
