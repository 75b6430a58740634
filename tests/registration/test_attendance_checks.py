"""What the attendance import checks before anything is marked: the report's
days, names with what a meeting appends, roles, times, links made by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.attendance.parsers import parse_report
from consult.registration.attendance.services import (
    apply_import,
    bare_name,
    preview_import,
)
from consult.timeutil import local_date
from tests.registration.attendance_reports import HOST, zoom_meeting
from tests.registration.test_attendance_parsers import DATA, KL, by_name, parse
from tests.registration.test_attendance_services import (
    add_registration,
    attendance,
    sample_event,
    sample_registrants,
)


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def event_day(event):
    return local_date(event.start_at, event.timezone)


def report_for(event, people, day=None, **kwargs):
    data = zoom_meeting(day or event_day(event), people, **kwargs)
    return parse_report(data, filename="zoom.csv", zone=event.timezone)


# The report itself -----------------------------------------------------------


def test_last_leave_is_read_and_kept_per_person():
    siti = by_name(parse("zoom-webinar-attendee-report.csv"))["Siti Aminah"]

    # Joined 04:01 PM, left 05:02 PM, came back 05:10 PM, left 06:04 PM (UTC+8).
    assert siti.first_join == datetime(2026, 12, 15, 8, 1, tzinfo=UTC)
    assert siti.last_leave == datetime(2026, 12, 15, 10, 4, tzinfo=UTC)


def test_teams_last_leave_comes_from_its_participants_table():
    report = parse("teams-attendance-report.csv", zone="Europe/Paris")

    assert by_name(report)["Élodie Martin"].last_leave == datetime(
        2026, 12, 15, 9, 41, 12, tzinfo=UTC
    )


def test_the_zoom_meeting_host_is_the_one_its_summary_names():
    people = by_name(parse("zoom-meeting-participants.csv"))

    assert people["Consult Organiser"].role == "host"
    assert people["Jan de Vries"].role == "attendee"


@pytest.mark.parametrize(
    "written, role",
    [("(Host)", "host"), ("(Co-host)", "co-host"), ("(Host, me)", "host")],
)
def test_the_role_zoom_appends_to_a_name_is_read_and_taken_off(written, role):
    day = datetime(2026, 12, 15).date()
    data = zoom_meeting(
        day, [(f"Marta Kowalska {written}", "", "16:00", "17:00", 60)], host_email=""
    )

    [marta] = parse_report(data, filename="z.csv", zone=KL).people

    assert (marta.name, marta.role) == ("Marta Kowalska", role)


def test_a_role_column_says_the_role():
    data = (
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Role\n"
        b"Jan,jan@example.nl,12/15/2026 04:01 PM,12/15/2026 05:00 PM,59,Co-host\n"
    )

    [jan] = parse_report(data, filename="z.csv", zone=KL).people

    assert jan.role == "co-host"


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_report(data, filename="upload.csv", zone=KL)
    assert caught.value.field == "report"
    return caught.value.message


def test_an_unreadable_leave_time_names_its_line_column_and_value():
    text = (DATA / "zoom-meeting-participants.csv").read_text()
    forged = text.replace("12/15/2026 04:50:30 PM", "half past four", 1)

    message = refusal(forged.encode())

    assert 'line 8, column "Leave Time": "half past four" is not a date' in message
    assert "Nothing was imported" in message


def test_a_date_format_we_do_not_read_names_a_value_and_where_it_is():
    data = b"Name\tJoin Time\tLeave Time\tDuration\tEmail\nA\tsoon\tlater\t5m 0s\t\n"

    message = refusal(data)

    assert 'date format we do not read: "soon" (line 2, column "Join Time")' in message


def test_a_time_out_of_range_names_its_column():
    text = (DATA / "zoom-meeting-participants.csv").read_text()
    forged = text.replace("12/15/2026 04:50:30 PM", "12/15/9999 04:50:30 PM", 1)

    message = refusal(forged.encode())

    assert '12/15/9999 04:50:30 PM (line 8, column "Leave Time") is out of range' in (
        message
    )


# Matching ---------------------------------------------------------------------


def test_what_follows_a_name_in_brackets_is_left_out_of_it():
    assert bare_name("Tan Wei Ming (PJ Council)") == "tan wei ming"
    assert bare_name("Lukas  Becker (Guest)") == "lukas becker"
    assert bare_name("(PJ Council)") == "(pj council)"
    assert bare_name("Siti Aminah") == "siti aminah"


def test_a_name_with_its_organisation_matches_the_registrant_by_name(
    att_event, registrants
):
    report = report_for(
        att_event,
        [
            HOST,
            ("Tan Wei Ming (PJ Council)", "", "16:00", "17:50", 110),
            ("Lukas Becker (Guest)", "", "16:05", "16:20", 15),
        ],
    )

    preview = preview_import(att_event, report, threshold_minutes=10)

    assert [
        (r.registration.full_name, r.matched_by, r.minutes) for r in preview.matched
    ] == [("Lukas Becker", "name", 15), ("Tan Wei Ming", "name", 110)]
    # The host counts for no registrant: nobody registered under that name.
    assert [(p.name, p.role) for p in preview.unmatched] == [
        ("Consult Organiser", "host")
    ]
    assert preview.stray_days == []


def test_first_join_and_last_leave_of_a_registrant_span_their_report_rows(
    att_event, registrants
):
    report = report_for(
        att_event,
        [
            ("Siti Aminah", "siti.aminah@example.my", "16:01", "17:02", 61),
            ("Siti A (phone)", "", "17:10", "18:04", 54),
        ],
    )
    siti = registrants["Siti Aminah"]
    phone = report.people.index(by_name(report)["Siti A (phone)"])

    preview = preview_import(
        att_event, report, threshold_minutes=10, links={phone: siti.id}
    )

    [row] = preview.matched
    start = att_event.start_at  # 16:00 in Kuala Lumpur
    assert row.matched_by == "email" and row.minutes == 115
    assert [p.name for p in row.linked] == ["Siti A (phone)"]
    assert (row.first_join, row.last_leave) == (
        start + timedelta(minutes=1),
        start + timedelta(hours=2, minutes=4),
    )


def test_a_row_linked_by_hand_is_applied_to_that_registrant(
    att_event, registrants, organiser, now
):
    report = report_for(att_event, [HOST, ("Guest 2291", "", "16:12", "17:00", 48)])
    guest = 1
    ana = registrants["Ana Ferreira"]

    record = apply_import(
        att_event,
        organiser,
        report,
        threshold_minutes=10,
        now=now,
        filename="zoom.csv",
        links={guest: ana.id},
    )
    db.session.commit()

    assert attendance(registrants)["Ana Ferreira"] == (True, 48)
    assert (record.matched, record.unmatched) == (1, 1)
    others = {n: v for n, v in attendance(registrants).items() if n != "Ana Ferreira"}
    assert all(value == (False, None) for value in others.values())


@pytest.mark.parametrize("status", ["cancelled", "pending"])
def test_a_link_to_someone_not_confirmed_is_refused(
    att_event, registrants, status, now, organiser
):
    report = report_for(att_event, [("Guest 2291", "", "16:12", "17:00", 48)])
    other = {"cancelled": "Rajesh Kumar", "pending": "Marta Kowalska"}[status]

    with pytest.raises(ValidationFailed) as refused:
        apply_import(
            att_event,
            organiser,
            report,
            threshold_minutes=10,
            now=now,
            filename="zoom.csv",
            links={0: registrants[other].id},
        )

    assert refused.value.field == "link-0"
    db.session.rollback()
    assert attendance(registrants)[other] == (False, None)


def test_a_link_to_another_events_registrant_or_a_missing_row_is_refused(
    att_event, registrants, organiser, now
):
    other_event = sample_event(organiser, now)
    report = report_for(att_event, [("Guest 2291", "", "16:12", "17:00", 48)])
    stranger = add_registration(other_event, "Ana Ferreira", "a@example.pt", now=now)

    for links in ({0: stranger.id}, {5: registrants["Ana Ferreira"].id}):
        with pytest.raises(ValidationFailed):
            preview_import(att_event, report, threshold_minutes=10, links=links)


# The report's days --------------------------------------------------------------


def test_a_report_of_the_events_day_raises_no_date_warning(att_event, registrants):
    report = report_for(att_event, [HOST])

    preview = preview_import(att_event, report, threshold_minutes=10)

    assert preview.stray_days == []
    assert [local_date(d, att_event.timezone) for d in preview.event_days] == [
        event_day(att_event)
    ]


def test_a_report_of_another_day_names_its_days(att_event, registrants):
    before = event_day(att_event) - timedelta(days=7)
    report = report_for(att_event, [HOST], day=before)

    preview = preview_import(att_event, report, threshold_minutes=10)

    assert [local_date(d, att_event.timezone) for d in preview.stray_days] == [before]


def test_every_day_of_an_event_over_several_days_is_the_events(att_event, registrants):
    att_event.end_at = att_event.start_at + timedelta(days=2)
    db.session.commit()
    middle = event_day(att_event) + timedelta(days=1)
    after = event_day(att_event) + timedelta(days=3)

    inside = preview_import(
        att_event, report_for(att_event, [HOST], day=middle), threshold_minutes=10
    )
    outside = preview_import(
        att_event, report_for(att_event, [HOST], day=after), threshold_minutes=10
    )

    assert inside.stray_days == []
    assert len(inside.event_days) == 2
    assert [local_date(d, att_event.timezone) for d in outside.stray_days] == [after]
