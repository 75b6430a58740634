"""Reading Zoom and Teams attendance reports (no database needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from consult.errors import ValidationFailed
from consult.registration.attendance.parsers import parse_report

DATA = Path(__file__).parent / "data"
KL = "Asia/Kuala_Lumpur"
CET = "Europe/Paris"


def parse(name: str, zone: str = KL):
    return parse_report((DATA / name).read_bytes(), filename=name, zone=zone)


def by_name(report):
    return {person.name: person for person in report.people}


def test_zoom_sample_lists_each_person_once_with_their_total_time():
    report = parse("zoom-webinar-attendee-report.csv")

    assert report.source == "zoom"
    assert [(p.name, p.email, p.minutes, p.role) for p in report.people] == [
        ("Consult Organiser", "organiser@example.org", 128, "host"),
        ("Marta Kowalska", "marta.kowalska@example.pl", 126, "panelist"),
        ("Siti Aminah", "siti.aminah@example.my", 115, "attendee"),
        ("Tan Wei Ming (PJ Council)", "tan.weiming@example.gov.my", 127, "attendee"),
        ("Lukas Becker", "lukas.becker@example.de", 6, "attendee"),
        ("Nurul Huda", None, 100, "attendee"),
        ("Guest 2291", None, 48, "attendee"),
        ("Ana Ferreira", "ana.ferreira@example.pt", 0, "attendee"),
        ("Rajesh Kumar", "rajesh.kumar@example.my", 0, "attendee"),
    ]


def test_zoom_rejoin_is_summed_and_first_join_is_kuala_lumpur_time_in_utc():
    siti = by_name(parse("zoom-webinar-attendee-report.csv"))["Siti Aminah"]

    assert siti.joins == 2
    assert siti.minutes == 61 + 54
    # 04:01 PM in Kuala Lumpur (UTC+8).
    assert siti.first_join == datetime(2026, 12, 15, 8, 1, tzinfo=UTC)


def test_zoom_people_who_never_joined_have_no_time_and_no_join():
    ana = by_name(parse("zoom-webinar-attendee-report.csv"))["Ana Ferreira"]

    assert (ana.minutes, ana.joins, ana.first_join) == (0, 0, None)


def test_the_zone_chosen_on_the_form_decides_what_the_times_mean():
    report = parse("zoom-webinar-attendee-report.csv", zone="Europe/Berlin")

    assert by_name(report)["Siti Aminah"].first_join == datetime(
        2026, 12, 15, 15, 1, tzinfo=UTC
    )


def test_teams_sample_uses_the_participants_totals():
    report = parse("teams-attendance-report.csv", zone=CET)

    assert report.source == "teams"
    assert [(p.name, p.email, p.minutes, p.role) for p in report.people] == [
        ("Consult Organiser", "organiser@example.org", 127, "organizer"),
        ("Jan de Vries", "jan.devries@example.nl", 124, "attendee"),
        ("Élodie Martin", "elodie.martin@example.fr", 80, "attendee"),
        ("Siti Aminah", None, 115, "attendee"),
        ("Park Ji-woo", "jiwoo.park@example.kr", 4, "attendee"),
    ]


def test_teams_counts_joins_from_the_activities_and_reads_us_dates_in_cet():
    people = by_name(parse("teams-attendance-report.csv", zone=CET))

    assert people["Élodie Martin"].joins == 2
    assert people["Élodie Martin"].minutes == 80  # 37m 0s + 43m 2s
    # 12/15/26, 9:03:00 AM in Paris (UTC+1).
    assert people["Élodie Martin"].first_join == datetime(
        2026, 12, 15, 8, 3, tzinfo=UTC
    )


def test_utf8_with_bom_and_crlf_zoom_export():
    report = parse("zoom-webinar-utf8-bom.csv")

    assert [(p.name, p.email, p.minutes, p.joins) for p in report.people] == [
        ("Consult Organiser", "organiser@example.org", 128, 1),
        ("Zoë Łukasiewicz", "zoe.lukasiewicz@example.pl", 83, 2),
        ("François Dubois", None, 8, 1),
    ]


def test_zoom_meeting_participants_report_with_other_column_names():
    report = parse("zoom-meeting-participants.csv")

    assert report.source == "zoom"
    assert [(p.name, p.email, p.minutes) for p in report.people] == [
        ("Consult Organiser", "organiser@example.org", 128),
        ("Jan de Vries", "jan.devries@example.nl", 122),
        ("Phone 60123456789", None, 36),
    ]
    assert by_name(report)["Jan de Vries"].first_join == datetime(
        2026, 12, 15, 8, 1, 10, tzinfo=UTC
    )


def test_teams_day_first_24_hour_dates():
    people = by_name(parse("teams-attendance-en-gb.csv", zone="Europe/London"))

    assert people["Jan de Vries"].email == "jan.devries@example.nl"
    assert (people["Jan de Vries"].minutes, people["Jan de Vries"].joins) == (45, 2)
    assert people["Marta Kowalska"].role == "presenter"
    assert people["Jan de Vries"].first_join == datetime(
        2026, 12, 15, 9, 1, 10, tzinfo=UTC
    )


def test_teams_export_with_only_join_rows_adds_them_up():
    report = parse("teams-activities-only.csv", zone=CET)

    assert report.source == "teams"
    assert [(p.name, p.minutes, p.joins) for p in report.people] == [
        ("Élodie Martin", 80, 2),
        ("Park Ji-woo", 4, 1),
    ]


def test_the_file_hash_identifies_the_report():
    first = parse("zoom-webinar-attendee-report.csv")
    again = parse("zoom-webinar-attendee-report.csv", zone=CET)

    assert first.sha256 == again.sha256
    assert len(first.sha256) == 64
    assert first.sha256 != parse("teams-attendance-report.csv").sha256


@pytest.mark.parametrize(
    "data",
    [
        (DATA / "not-a-report.csv").read_bytes(),
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["other-csv", "empty", "image"],
)
def test_anything_else_is_refused_with_a_clear_message(data):
    with pytest.raises(ValidationFailed) as caught:
        parse_report(data, filename="upload.csv", zone=KL)

    assert caught.value.field == "report"
    assert "Zoom or Teams" in caught.value.message


def test_unreadable_dates_are_refused():
    data = (
        b"Name\tJoin Time\tLeave Time\tDuration\tEmail\n"
        b"A\tsoon\tlater\t5m 0s\ta@example.org\n"
    )

    with pytest.raises(ValidationFailed, match="date format"):
        parse_report(data, filename="upload.csv", zone=KL)


def test_a_report_without_people_is_refused():
    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"

    with pytest.raises(ValidationFailed, match="lists nobody"):
        parse_report(header.encode(), filename="upload.csv", zone=KL)


@pytest.mark.parametrize("year", ["9999", "1999"])
def test_a_join_time_out_of_range_is_refused_with_the_range(year):
    # The sample's dates are a fixture file's; only the year is replaced.
    name = "zoom-webinar-attendee-report.csv"
    text = (DATA / name).read_text(encoding="utf-8")
    forged = text.replace('"12/15/2026 03:59 PM"', f'"12/15/{year} 03:59 PM"', 1)
    assert forged != text
    with pytest.raises(ValidationFailed) as refused:
        parse_report(forged.encode(), filename=name, zone=KL)
    assert refused.value.field == "report"
    assert f"12/15/{year} 03:59 PM" in refused.value.message
    assert "Enter a date between 2000 and" in refused.value.message


ZOOM_HEADER = (
    "Attendee Details,\n"
    "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
    "Time in Session (minutes)\n"
)
ZOOM_ROW = 'Yes,{name},{email},"12/15/2026 04:01 PM","12/15/2026 05:02 PM",{minutes}\n'
TEAMS_HEADER = "Name\tJoin Time\tLeave Time\tDuration\tEmail\n"
TEAMS_ROW = "{name}\t12/15/26, 9:01:10 AM\t12/15/26, 10:01:10 AM\t1h 0m 0s\t{email}\n"


def zoom(*rows: tuple[str, str, str]) -> bytes:
    lines = [ZOOM_ROW.format(name=n, email=e, minutes=m) for n, e, m in rows]
    return (ZOOM_HEADER + "".join(lines)).encode()


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_report(data, filename="upload.csv", zone=KL)
    assert caught.value.field == "report"
    return caught.value.message


@pytest.mark.parametrize("name", ['"Siti\tAminah"', "Siti\tAminah"])
def test_a_tab_inside_one_zoom_name_is_part_of_the_name(name):
    data = zoom(
        ("Jan de Vries", "jan@example.nl", "61"),
        (name, "siti@example.my", "54"),
    )

    report = parse_report(data, filename="zoom.csv", zone=KL)

    assert report.source == "zoom"
    assert [(p.name, p.email, p.minutes) for p in report.people] == [
        ("Jan de Vries", "jan@example.nl", 61),
        ("Siti\tAminah", "siti@example.my", 54),
    ]


def test_a_quoted_tab_inside_a_teams_name_is_data():
    data = TEAMS_HEADER + TEAMS_ROW.format(name='"Jan\tde Vries"', email="j@example.nl")

    report = parse_report(data.encode(), filename="teams.csv", zone=CET)

    assert [(p.name, p.minutes) for p in report.people] == [("Jan\tde Vries", 60)]


def test_an_unquoted_tab_in_a_teams_name_names_the_line_and_imports_nothing():
    data = (
        TEAMS_HEADER
        + TEAMS_ROW.format(name="Jan de Vries", email="j@example.nl")
        + TEAMS_ROW.format(name="Siti\tAminah", email="s@example.my")
    )

    message = refusal(data.encode())

    assert "line 3: 6 fields where the header has 5" in message
    assert "double quotes" in message
    assert "Nothing was imported" in message
    assert "line 2" not in message  # the good line is not blamed


def test_a_bad_duration_names_its_line():
    data = TEAMS_HEADER + "A\t12/15/26, 9:01:10 AM\tx\tforever\ta@example.org\n"

    assert 'line 2, column "Duration": "forever" is not a duration' in refusal(
        data.encode()
    )


def test_minutes_that_are_not_a_number_name_their_line():
    data = zoom(("Jan", "jan@example.nl", "61"), ("Siti", "siti@example.my", "lots"))

    # Line 1 is the section title, 2 the header, 3 Jan, 4 Siti.
    assert (
        'line 4, column "Time in Session (minutes)": "lots" is not a number of minutes'
        in refusal(data)
    )


def test_one_garbled_join_time_names_its_line_not_the_format():
    good = ZOOM_ROW.format(name="Jan", email="jan@example.nl", minutes="61")
    bad = good.replace("Jan", "Siti").replace('"12/15/2026 04:01 PM"', "yesterday")

    message = refusal((ZOOM_HEADER + good + bad + good).encode())

    assert 'line 4, column "Join Time": "yesterday" is not a date and time' in message
    assert "date format we do not read" not in message


def test_a_quoted_name_over_two_lines_counts_from_its_first_line():
    data = zoom(
        ('"Jan\nde Vries"', "jan@example.nl", "61"),
        ("Siti", "siti@example.my", "lots"),
    )

    assert "line 5," in refusal(data)


def test_many_bad_lines_are_named_up_to_five_then_counted():
    rows = [(f"P{i}", f"p{i}@example.org", "x") for i in range(8)]

    message = refusal(zoom(*rows))

    assert "line 3," in message and "line 7," in message
    assert "line 8," not in message
    assert "and 3 more lines" in message
