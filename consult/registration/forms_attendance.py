"""Forms of the attendance import: upload with its choices, and Apply."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileSize
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, InputRequired

from consult.errors import Problems, ValidationFailed
from consult.forms import FlaskForm, IntegerField
from consult.numbers import parse_int
from consult.registration.attendance.parsers import (
    MAX_REPORT_BYTES,
    ParsedReport,
    parse_report,
)
from consult.registration.attendance.pending import (
    PendingReport,
    load_pending,
    sign_pending,
)
from consult.timeutil import common_timezones


class AttendanceUploadForm(FlaskForm):
    report = FileField(
        _l("Zoom or Teams attendance report"),
        validators=[
            # Required unless a report is kept from the last submit (chosen_report).
            FileSize(
                max_size=MAX_REPORT_BYTES,
                message=_l("The report is larger than 2 MB."),
            ),
        ],
        description=_l(
            "The CSV file as downloaded: Zoom's attendee or participants report, "
            "or Teams' attendance report."
        ),
    )
    zone = SelectField(
        _l("Time zone of the report"),
        validators=[DataRequired()],
        description=_l(
            "Reports give times without a zone: choose the zone of the account "
            "that exported it."
        ),
    )
    threshold_minutes = IntegerField(
        _l("Minutes needed to count as attended"),
        low=0,
        high=24 * 60,
        validators=[
            InputRequired(_l("Enter a number of minutes.")),
        ],
    )

    # The report of a submit that had other problems, signed (pending.py), so
    # the organiser need not choose the file again.
    kept = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone.choices = [(z, z.replace("_", " ")) for z in common_timezones()]
        self.kept_name = ""

    def chosen_report(self, event) -> tuple[PendingReport, ParsedReport] | None:
        """The report to preview, read: the file chosen now, else the one kept
        from the last submit; None with the reason beside the field."""
        upload = self.report.data
        if self.report.errors:
            return None
        zone = self.zone.data if not self.zone.errors else event.timezone
        threshold = self.threshold_minutes.data or 0
        if upload and upload.filename:
            name, data = upload.filename[:255], upload.read()
        elif self.kept.data:
            try:
                kept = load_pending(self.kept.data, event_id=event.id)
            except ValidationFailed as exc:
                self.kept.data = ""
                self.report.errors.append(exc.message)
                return None
            name, data = kept.filename, kept.data
        else:
            self.report.errors.append(_("Choose the report file you downloaded."))
            return None
        try:
            report = parse_report(data, filename=name, zone=zone)
        except ValidationFailed as exc:
            # The file itself is refused: nothing to keep.
            self.kept.data = ""
            self.report.errors.extend(m for _f, m in exc.problems)
            return None
        return PendingReport(event.id, name, zone, threshold, data), report

    def keep(self, pending: PendingReport) -> None:
        """Send a readable report back with a form that has other problems."""
        self.kept.data, self.kept_name = sign_pending(pending), pending.filename

    @classmethod
    def for_event(cls, event) -> AttendanceUploadForm:
        """The form with the event's zone and threshold as defaults."""
        return cls(
            zone=event.timezone,
            threshold_minutes=event.attendance_threshold_minutes,
        )


class AttendanceApplyForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def links_from(form_data, people_count: int) -> dict[int, int]:
    """The preview's hand-made links: row `link-<n>` of the report -> a
    registration id. An empty choice is no link; anything else not an id is
    refused on its row, every such row at once."""
    links = {}
    problems = Problems()
    for index in range(people_count):
        raw = form_data.get(f"link-{index}", "")
        if not raw:
            continue
        registration_id = parse_int(raw, low=1)
        if registration_id is None:
            problems.add(
                _("Choose a registrant from the list, or none."), f"link-{index}"
            )
            continue
        links[index] = registration_id
    problems.raise_any()
    return links
