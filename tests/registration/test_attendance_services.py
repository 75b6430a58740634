"""Matching attendance reports to registrations and applying them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.events.services import EventData, create_event, publish_event
from consult.extensions import db
from consult.registration.attendance.parsers import parse_report
from consult.registration.attendance.services import (
    apply_import,
    normalise_name,
    preview_import,
)
from consult.registration.models import (
    AttendanceImport,
    Registration,
    StakeholderType,
)
from tests.clock import wall

DATA = Path(__file__).parent / "data"

# The people who registered for the sample event: (name, email, status).
REGISTRANTS = (
    ("Siti Aminah", "siti.aminah@example.my", "confirmed"),
    ("Tan Wei Ming", "tan.weiming@example.gov.my", "confirmed"),
    ("Lukas Becker", "lukas.becker@example.de", "confirmed"),
    ("Nurul Huda", None, "confirmed"),  # assisted, no email: found by name
    ("Ana Ferreira", "ana.ferreira@example.pt", "confirmed"),
    ("Rajesh Kumar", "rajesh.kumar@example.my", "cancelled"),
    ("Marta Kowalska", "marta.kowalska@example.pl", "pending"),
    ("Jan de Vries", "jan.devries@example.nl", "confirmed"),
    ("Elodie  MARTIN", "elodie.martin@example.fr", "confirmed"),
    ("Park Ji-woo", "jiwoo.park@example.kr", "confirmed"),
    ("Lee Hyun-woo", "hyunwoo.lee@example.kr", "confirmed"),
)


def sample_event(organiser, now):
    """The sample reports' event: 15 Dec 2026, 16:00-18:00 Kuala Lumpur time."""
    event = create_event(
        organiser,
        EventData(
            title="Designing Circular Cities in Malaysia",
            timezone="Asia/Kuala_Lumpur",
            start=wall(21, 16),
            end=wall(21, 18),
            capacity=100,
        ),
        now=now,
    )
    publish_event(event, organiser, now=now)
    db.session.commit()
    return event


def add_registration(event, name, email, status="confirmed", *, now, **fields):
    """A committed registration; without email it is an assisted one."""
    stype = db.session.scalar(
        select(StakeholderType).where(StakeholderType.event_id == event.id)
    )
    registration = Registration(
        event_id=event.id,
        stakeholder_type_id=stype.id,
        status=status,
        waitlist_position=fields.pop("waitlist_position", None),
        full_name=name,
        email=email,
        assisted=email is None,
        privacy_notice_version="1",
        privacy_consented_at=now - timedelta(days=10),
        manage_nonce=secrets.token_hex(16),
        **fields,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def sample_registrants(event, now) -> dict[str, Registration]:
    """Everyone in REGISTRANTS, by name."""
    return {
        name: add_registration(event, name, email, status, now=now)
        for name, email, status in REGISTRANTS
    }


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def add_registrant(att_event, now):
    """add_registrant(name, email, status='confirmed', **fields) -> Registration."""

    def _add(name, email, status="confirmed", **fields):
        return add_registration(att_event, name, email, status, now=now, **fields)

    return _add


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def read(name: str, zone: str):
    return parse_report((DATA / name).read_bytes(), filename=name, zone=zone)


@pytest.fixture
def zoom():
    return read("zoom-webinar-attendee-report.csv", "Asia/Kuala_Lumpur")


@pytest.fixture
def teams():
    return read("teams-attendance-report.csv", "Europe/Paris")


def attendance(registrants) -> dict[str, tuple[bool, int | None]]:
    for registration in registrants.values():
        db.session.refresh(registration)
    return {name: (r.attended, r.attended_minutes) for name, r in registrants.items()}


def import_count() -> int:
    return db.session.scalar(select(func.count(AttendanceImport.id)))


def test_names_compare_without_case_spacing_or_accents():
    assert normalise_name("  Élodie   MARTIN ") == normalise_name("elodie martin")
    assert normalise_name("Zoë Łukasiewicz") != normalise_name("Zoe Lukasz")


def test_zoom_preview_matches_by_email_then_name(att_event, registrants, zoom):
    preview = preview_import(att_event, zoom, threshold_minutes=10)

    assert [
        (row.registration.full_name, row.matched_by, row.minutes, row.reaches_threshold)
        for row in preview.matched
    ] == [
        ("Ana Ferreira", "email", 0, False),
        ("Lukas Becker", "email", 6, False),
        ("Nurul Huda", "name", 100, True),
        ("Siti Aminah", "email", 115, True),
        ("Tan Wei Ming", "email", 127, True),
    ]
    assert [(r.registration.full_name, r.minutes) for r in preview.not_confirmed] == [
        ("Marta Kowalska", 126),
        ("Rajesh Kumar", 0),
    ]
    assert [(p.name, p.role) for p in preview.unmatched] == [
        ("Consult Organiser", "host"),
        ("Guest 2291", "attendee"),
    ]
    assert [r.full_name for r in preview.absent] == [
        "Elodie  MARTIN",
        "Jan de Vries",
        "Lee Hyun-woo",
        "Park Ji-woo",
    ]
    assert preview.attended_count == 3
    assert preview.previous is None


def test_preview_changes_nothing(att_event, registrants, zoom):
    preview_import(att_event, zoom, threshold_minutes=10)
    db.session.commit()

    assert all(v == (False, None) for v in attendance(registrants).values())
    assert import_count() == 0


def test_teams_preview_finds_siti_by_name_and_park_below_threshold(
    att_event, registrants, teams
):
    preview = preview_import(att_event, teams, threshold_minutes=10)
    rows = {row.registration.full_name: row for row in preview.matched}

    assert rows["Siti Aminah"].matched_by == "name"
    assert rows["Siti Aminah"].minutes == 115
    assert rows["Elodie  MARTIN"].minutes == 80
    assert (rows["Park Ji-woo"].minutes, rows["Park Ji-woo"].reaches_threshold) == (
        4,
        False,
    )
    assert [p.name for p in preview.unmatched] == ["Consult Organiser"]


def test_importing_zoom_and_teams_marks_the_right_people_and_again_changes_nothing(
    att_event, registrants, zoom, teams, organiser, now
):
    apply_import(
        att_event, organiser, zoom, threshold_minutes=10, now=now, filename="z.csv"
    )
    apply_import(
        att_event, organiser, teams, threshold_minutes=10, now=now, filename="t.csv"
    )
    db.session.commit()
    expected = {
        "Siti Aminah": (True, 115),
        "Tan Wei Ming": (True, 127),
        "Lukas Becker": (False, 6),
        "Nurul Huda": (True, 100),
        "Ana Ferreira": (False, 0),
        "Rajesh Kumar": (False, None),  # cancelled: never marked
        "Marta Kowalska": (False, None),  # pending: never marked
        "Jan de Vries": (True, 124),
        "Elodie  MARTIN": (True, 80),
        "Park Ji-woo": (False, 4),
        "Lee Hyun-woo": (False, None),  # not in either report
    }
    assert attendance(registrants) == expected
    assert import_count() == 2
    stamps = {name: r.updated_at for name, r in registrants.items()}

    later = now + timedelta(hours=1)
    for report in (zoom, teams, zoom):
        apply_import(
            att_event, organiser, report, threshold_minutes=10, now=later, filename="x"
        )
    db.session.commit()

    assert attendance(registrants) == expected
    assert {name: r.updated_at for name, r in registrants.items()} == stamps
    assert import_count() == 2


def test_the_import_is_recorded(att_event, registrants, zoom, organiser, now):
    record = apply_import(
        att_event,
        organiser,
        zoom,
        threshold_minutes=10,
        now=now,
        filename="zoom-webinar-attendee-report.csv",
    )
    db.session.commit()

    stored = db.session.get(AttendanceImport, record.id)
    assert stored.source == "zoom"
    assert stored.sha256 == zoom.sha256
    assert (stored.matched, stored.unmatched, stored.threshold_minutes) == (5, 2, 10)
    assert stored.imported_by_id == organiser.id
    assert stored.imported_at == now
    assert stored.filename == "zoom-webinar-attendee-report.csv"


def test_a_second_report_keeps_the_longer_time(
    att_event, add_registrant, organiser, now
):
    siti = add_registrant("Siti Aminah", "siti.aminah@example.my")
    lukas = add_registrant("Lukas Becker", "lukas.becker@example.de")
    siti.attended_minutes, siti.attended = 130, True
    lukas.attended_minutes = 3
    db.session.commit()

    apply_import(
        att_event,
        organiser,
        read("zoom-webinar-attendee-report.csv", "Asia/Kuala_Lumpur"),
        threshold_minutes=10,
        now=now,
        filename="z.csv",
    )

    assert (siti.attended, siti.attended_minutes) == (True, 130)
    assert (lukas.attended, lukas.attended_minutes) == (False, 6)


def test_a_lower_threshold_counts_short_visits(
    att_event, registrants, teams, organiser, now
):
    apply_import(
        att_event, organiser, teams, threshold_minutes=3, now=now, filename="t.csv"
    )

    assert registrants["Park Ji-woo"].attended is True


def test_a_checked_in_registrant_stays_attended(
    att_event, add_registrant, teams, organiser, now
):
    park = add_registrant("Park Ji-woo", "jiwoo.park@example.kr", checked_in_at=now)
    park.attended = True
    db.session.commit()

    apply_import(
        att_event, organiser, teams, threshold_minutes=10, now=now, filename="t.csv"
    )

    assert (park.attended, park.attended_minutes) == (True, 4)


def test_a_name_shared_by_two_registrants_is_not_guessed(
    att_event, add_registrant, teams
):
    add_registrant("Siti Aminah", "siti.a@example.my")
    add_registrant("SITI AMINAH", "aminah.siti@example.my")

    preview = preview_import(att_event, teams, threshold_minutes=10)

    assert "Siti Aminah" in [p.name for p in preview.unmatched]
    assert preview.matched == []


def test_another_events_registrants_are_never_matched(
    app, att_event, registrants, other_organiser, zoom, now
):
    other = create_event(
        other_organiser,
        EventData(
            title="Another webinar",
            timezone="Europe/Paris",
            start=wall(22, 10),
            end=wall(22, 11),
        ),
        now=now,
    )
    db.session.commit()

    preview = preview_import(other, zoom, threshold_minutes=10)

    assert preview.matched == [] and preview.absent == []
    assert len(preview.unmatched) == len(zoom.people)


def test_erased_registrations_are_left_alone(
    att_event, add_registrant, zoom, organiser, now
):
    add_registrant("Siti Aminah", "siti.aminah@example.my", erased_at=now)

    preview = preview_import(att_event, zoom, threshold_minutes=10)

    assert preview.matched == []
