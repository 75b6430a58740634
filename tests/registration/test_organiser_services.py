"""Organiser services: filters and counts, decisions, moves, check-in, messages, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from consult.errors import Conflict, NotFound, ValidationFailed
from consult.extensions import db
from consult.registration.models import AttendanceImport
from consult.registration.services.bulk_message import send_bulk_message
from consult.registration.services.decisions import decide_in_bulk
from consult.registration.services.organiser import (
    approve_registrations,
    cancel_for_registrant,
    confirm_from_waitlist,
    move_to_waitlist,
    reject_registrations,
    set_checked_in,
)
from consult.registration.services.organiser_export import registrants_csv
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    count_registrants,
    registrants_query,
    stakeholder_balance,
)


def _names(event, **filters):
    query = registrants_query(event, RegistrantFilter(**filters))
    return [r.full_name for r in db.session.scalars(query)]


class TestFiltersAndCounts:
    def test_filters_combine(self, reg_event, make_registration, stype, now):
        make_registration(reg_event, full_name="Aisha", country="MY")
        make_registration(
            reg_event, full_name="Bram", country="BE", type_key="research"
        )
        make_registration(
            reg_event, full_name="Chen", status="waitlisted", organisation="UM"
        )
        research = stype(reg_event, "research")
        assert _names(reg_event, type_id=research.id) == ["Bram"]
        assert _names(reg_event, status="waitlisted") == ["Chen"]
        assert _names(reg_event, country="be") == ["Bram"]
        assert _names(reg_event, search="um") == ["Chen"]
        assert _names(reg_event, search="100%") == []
        assert count_registrants(reg_event, RegistrantFilter(country="MY")) == 2

    def test_attendance_filter(self, reg_event, make_registration, now):
        make_registration(reg_event, full_name="Came", attended=True)
        make_registration(reg_event, full_name="Left", attended_minutes=3)
        make_registration(reg_event, full_name="Unknown")
        assert _names(reg_event, attendance="attended") == ["Came"]
        assert _names(reg_event, attendance="absent") == ["Left"]
        assert _names(reg_event, attendance="unknown") == ["Unknown"]
        db.session.add(
            AttendanceImport(event_id=reg_event.id, source="zoom", sha256="x" * 64)
        )
        db.session.commit()
        # After an import, everybody it did not mark is known to be absent.
        assert _names(reg_event, attendance="absent") == ["Left", "Unknown"]

    def test_balance_per_type_against_targets(
        self, make_reg_event, make_registration, stype
    ):
        event = make_reg_event(capacity=10)
        for _ in range(4):
            make_registration(event, type_key="government")
        make_registration(event, type_key="private")
        make_registration(event, type_key="informal", status="waitlisted")
        make_registration(event, type_key="informal", status="pending")
        balance = stakeholder_balance(event)
        rows = {row.stakeholder_type.key: row for row in balance.types}
        assert (balance.confirmed, balance.waitlisted, balance.pending) == (5, 1, 1)
        assert balance.seats_left == 5
        assert rows["government"].share == 80
        assert rows["informal"].confirmed == 0
        assert rows["informal"].waitlisted == 1 and rows["informal"].pending == 1
        flagged = {row.stakeholder_type.key for row in balance.under_represented}
        assert flagged == {"research", "civil_society", "informal"}

    def test_cap_reached_is_reported(self, reg_event, make_registration, stype):
        stype(reg_event, "private").cap = 1
        db.session.commit()
        make_registration(reg_event, type_key="private")
        rows = {r.stakeholder_type.key: r for r in stakeholder_balance(reg_event).types}
        assert rows["private"].cap_reached and not rows["government"].cap_reached


class TestDecisions:
    def test_approve_single_and_email(
        self, reg_event, make_registration, organiser, now, outbox
    ):
        person = make_registration(reg_event, status="pending")
        outcome = approve_registrations(reg_event, [person.id], organiser, now=now)
        db.session.commit()
        assert outcome.done == [person] and person.status == "confirmed"
        assert reg_event.confirmed_count == 1
        assert [e.recipient for e in outbox()] == [person.email]
        assert "approved" in outbox()[0].dedup_key

    def test_bulk_reject_skips_confirmed_people(
        self, reg_event, make_registration, organiser, now, outbox
    ):
        a = make_registration(reg_event, status="pending")
        b = make_registration(reg_event, status="pending")
        seated = make_registration(reg_event)
        outcome = decide_in_bulk(
            reg_event, [a.id, b.id, seated.id], organiser, "reject", "Full", now=now
        )
        db.session.commit()
        assert {r.id for r in outcome.done} == {a.id, b.id}
        assert [r.id for r, _ in outcome.skipped] == [seated.id]
        assert (a.status, a.status_reason, seated.status) == (
            "rejected",
            "Full",
            "confirmed",
        )
        assert sorted(e.recipient for e in outbox()) == sorted([a.email, b.email])

    def test_reject_needs_a_reason(self, reg_event, make_registration, organiser, now):
        person = make_registration(reg_event, status="pending")
        with pytest.raises(ValidationFailed):
            reject_registrations(reg_event, [person.id], organiser, "  ", now=now)

    def test_bulk_approve_when_full_waitlists(
        self, make_reg_event, make_registration, organiser, now
    ):
        event = make_reg_event(capacity=1)
        a = make_registration(event, status="pending")
        b = make_registration(event, status="pending")
        approve_registrations(event, [a.id, b.id], organiser, now=now)
        db.session.commit()
        assert (a.status, b.status) == ("confirmed", "waitlisted")
        assert event.confirmed_count == 1

    def test_registration_of_another_event_is_not_found(
        self, reg_event, make_reg_event, make_registration, organiser, now
    ):
        other = make_reg_event(title="Other event")
        stranger = make_registration(other, status="pending")
        with pytest.raises(NotFound):
            approve_registrations(reg_event, [stranger.id], organiser, now=now)
        with pytest.raises(NotFound):
            set_checked_in(reg_event, stranger.id, organiser, True, now=now)

    def test_another_organiser_is_refused(
        self, reg_event, make_registration, other_organiser, now
    ):
        from consult.errors import PermissionDenied

        person = make_registration(reg_event, status="pending")
        with pytest.raises(PermissionDenied):
            approve_registrations(reg_event, [person.id], other_organiser, now=now)


class TestMoves:
    def test_cap_needs_override(
        self, reg_event, make_registration, stype, organiser, now, outbox
    ):
        stype(reg_event, "private").cap = 1
        db.session.commit()
        make_registration(reg_event, type_key="private")
        waiting = make_registration(reg_event, type_key="private", status="waitlisted")
        with pytest.raises(Conflict):
            confirm_from_waitlist(reg_event, waiting.id, organiser, now=now)
        db.session.rollback()
        confirm_from_waitlist(
            reg_event, waiting.id, organiser, now=now, override_cap=True
        )
        db.session.commit()
        assert waiting.status == "confirmed" and waiting.waitlist_position is None
        assert reg_event.confirmed_count == 2
        assert [e.recipient for e in outbox()] == [waiting.email]

    def test_capacity_is_never_exceeded(
        self, make_reg_event, make_registration, organiser, now
    ):
        event = make_reg_event(capacity=1)
        make_registration(event)
        waiting = make_registration(event, status="waitlisted")
        with pytest.raises(Conflict, match="capacity"):
            confirm_from_waitlist(
                event, waiting.id, organiser, now=now, override_cap=True
            )
        db.session.rollback()
        assert event.confirmed_count == 1 and waiting.status == "waitlisted"

    def test_confirmed_to_waitlist_and_back(
        self, make_reg_event, make_registration, organiser, now, outbox
    ):
        event = make_reg_event(capacity=1)
        seated = make_registration(event)
        move_to_waitlist(event, seated.id, organiser, now=now)
        db.session.commit()
        assert seated.status == "waitlisted" and seated.waitlist_position == 1
        assert event.confirmed_count == 0
        confirm_from_waitlist(event, seated.id, organiser, now=now)
        db.session.commit()
        assert seated.status == "confirmed" and event.confirmed_count == 1
        assert len(outbox()) == 2

    def test_cancel_on_behalf_promotes_the_next(
        self, make_reg_event, make_registration, organiser, now
    ):
        event = make_reg_event(capacity=1)
        seated = make_registration(event)
        waiting = make_registration(event, status="waitlisted")
        cancel_for_registrant(event, seated.id, organiser, now=now)
        db.session.commit()
        assert (seated.status, waiting.status) == ("cancelled", "confirmed")
        with pytest.raises(Conflict):
            cancel_for_registrant(event, seated.id, organiser, now=now)


def test_check_in_toggles_attendance(reg_event, make_registration, organiser, now):
    person = make_registration(reg_event)
    set_checked_in(reg_event, person.id, organiser, True, now=now)
    assert person.checked_in_at == now and person.attended
    set_checked_in(reg_event, person.id, organiser, False, now=now)
    assert person.checked_in_at is None and not person.attended
    waiting = make_registration(reg_event, status="waitlisted")
    with pytest.raises(Conflict):
        set_checked_in(reg_event, waiting.id, organiser, True, now=now)


def test_bulk_message_one_row_per_reachable_person(
    reg_event, make_registration, organiser, now, outbox
):
    a = make_registration(reg_event, type_key="research")
    b = make_registration(reg_event, type_key="research", status="waitlisted")
    make_registration(reg_event, type_key="research", email="", assisted=True)
    make_registration(reg_event, type_key="government")
    # Both statuses chosen: without a choice only the confirmed get it.
    research = RegistrantFilter(
        type_id=a.stakeholder_type_id, statuses=("confirmed", "waitlisted")
    )
    outcome = send_bulk_message(
        reg_event,
        research,
        organiser,
        subject="Slides",
        body="Hello.\n\nThe slides are online.",
        now=now,
    )
    db.session.commit()
    assert (outcome.queued, outcome.without_email) == (2, 1)
    rows = outbox()
    assert sorted(e.recipient for e in rows) == sorted([a.email, b.email])
    assert all(e.dedup_key.startswith("message:") for e in rows)
    assert {e.dedup_key.rsplit(":", 1)[1] for e in rows} == {str(a.id), str(b.id)}
    assert "The slides are online." in rows[0].body_text
    assert reg_event.join_url not in rows[0].body_text + rows[0].body_html


def test_bulk_message_needs_subject_and_body(reg_event, organiser, now):
    with pytest.raises(ValidationFailed):
        send_bulk_message(
            reg_event, RegistrantFilter(), organiser, subject="", body="x", now=now
        )


def test_csv_neutralises_formulas_and_has_no_join_url(reg_event, make_registration):
    make_registration(
        reg_event, full_name='=HYPERLINK("x")', organisation="+SUM(1)", phone="-1"
    )
    make_registration(reg_event, full_name="Ana Ñúñez", organisation="@home")
    text = registrants_csv(reg_event, RegistrantFilter())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1][1] == '\'=HYPERLINK("x")'
    assert "'+SUM(1)" in rows[1] and "'-1" in rows[1]
    assert rows[2][1] == "Ana Ñúñez" and "'@home" in rows[2]
    assert reg_event.join_url not in text and "zoom" not in text
