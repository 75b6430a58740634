"""The job keeps each confirmed registrant on the platform: meetings created,
registrants added with their personal link emailed, cancellations removed,
429 honoured, errors recorded, nothing doubled after a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.extensions import db
from consult.platforms.models import join_link_for
from consult.platforms.services import sync
from consult.platforms.services.sync import retry_failed
from consult.registration.models import Registration
from consult.registration.services import cancel_registration
from consult.registration.services.privacy import erase
from tests.platforms.helpers import (
    join_link_emails,
    link_jitsi,
    link_row,
    link_zoom,
    row_of,
)


@pytest.fixture
def event(reg_event):
    return reg_event


def test_new_meeting_then_registrants_added_and_told_their_link(
    app, zoom, event, organiser, make_registration, run_job, now, outbox
):
    link_zoom(app, event, organiser, now)
    person = make_registration(event, "siti@example.org", full_name="Siti Aminah")
    report = run_job(now)
    link = link_row(event)
    assert link.state == "ready" and link.meeting_id in zoom.meetings
    row = row_of(person)
    assert row.state == "synced" and row.wanted == "add"
    registrant = zoom.active(link.meeting_id)["siti@example.org"]
    assert row.platform_registrant_id == registrant["registrant_id"]
    assert row.join_url == registrant["join_url"]
    assert "1 added" in report
    db.session.refresh(person)
    assert join_link_for(person).personal
    [email] = [m for m in outbox() if ":join_link:" in m.dedup_key]
    assert email.recipient == "siti@example.org"
    assert registrant["join_url"] in email.body_text
    assert "personal link" in email.body_text
    # A second run changes nothing and tells nobody again.
    run_job(now + timedelta(minutes=1))
    assert len(join_link_emails()) == 1
    assert len(zoom.calls_to("POST", r"/registrants$")) == 1


def test_a_confirmation_the_hooks_did_not_see_is_swept_up(
    app, zoom, event, organiser, stype, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="812 3456 7890")
    # As the public form's fast path confirms: a row written without the ORM hooks.
    db.session.execute(
        Registration.__table__.insert().values(
            event_id=event.id,
            stakeholder_type_id=stype(event, "government").id,
            full_name="Fast Path",
            email="fast@example.org",
            status="confirmed",
            privacy_notice_version=event.privacy_notice_version,
            privacy_consented_at=now,
            manage_nonce="n-fast",
            confirmed_at=now,
        )
    )
    db.session.commit()
    run_job(now)
    assert "fast@example.org" in zoom.active("81234567890")


def test_429_reschedules_the_whole_batch_and_loses_nothing(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    people = [make_registration(event) for _ in range(3)]
    zoom.fail(
        "POST",
        r"/registrants$",
        429,
        {"code": 429, "message": "You have exceeded the daily rate limit."},
        {"Retry-After": "120", "X-RateLimit-Type": "Daily-limit"},
    )
    run_job(now)
    rows = [row_of(p) for p in people]
    assert [r.state for r in rows] == ["pending"] * 3
    assert all(r.next_attempt_at == now + timedelta(seconds=120) for r in rows)
    assert all(r.attempts == 0 for r in rows)
    assert len(zoom.calls_to("POST", r"/registrants$")) == 1  # the rest waited
    run_job(now + timedelta(seconds=60))
    assert len(zoom.calls_to("POST", r"/registrants$")) == 1  # not due yet
    run_job(now + timedelta(seconds=121))
    assert [row_of(p).state for p in people] == ["synced"] * 3
    assert len(zoom.active("81234567890")) == 3
    assert len(join_link_emails()) == 3


def test_a_token_that_expires_mid_run_is_renewed(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    people = [make_registration(event) for _ in range(3)]
    run_job(now)  # the meeting is checked and the three added
    assert zoom.tokens_issued == 1
    # After the next call of the run, the token expires (401, code 124).
    zoom.expire_after_calls = zoom.api_calls + 1
    more = [make_registration(event) for _ in range(2)]
    run_job(now)
    assert [row_of(p).state for p in people + more] == ["synced"] * 5
    assert zoom.tokens_issued == 2
    assert len(zoom.active("81234567890")) == 5


def test_unknown_meeting_fails_each_row_with_zoom_message_then_retry(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    run_job(now)  # the meeting is checked: ready
    del zoom.meetings["81234567890"]
    person = make_registration(event)
    run_job(now)
    row = row_of(person)
    assert row.state == "failed"
    assert "3001" in row.last_error and "81234567890" in row.last_error
    zoom.add_meeting("81234567890")
    assert retry_failed(event, now=now) == 1
    db.session.commit()
    run_job(now)
    assert row_of(person).state == "synced"


def test_linking_an_unknown_meeting_fails_the_link(
    app, zoom, event, organiser, run_job, now
):
    link_zoom(app, event, organiser, now, existing="89999999999")
    run_job(now)
    link = link_row(event)
    assert link.state == "failed" and "3001" in link.last_error


def test_a_bad_request_fails_at_once(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    person = make_registration(event)
    zoom.fail("POST", r"/registrants$", 400, {"code": 300, "message": "Invalid email."})
    run_job(now)
    row = row_of(person)
    assert row.state == "failed" and "Invalid email." in row.last_error
    assert row.attempts == 1


def test_temporary_failures_back_off_then_fail(
    app, zoom, event, organiser, make_registration, run_job, now
):
    app.config["PLATFORM_MAX_ATTEMPTS"] = 3
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    person = make_registration(event)
    zoom.fail("POST", r"/registrants$", 503, {}, times=3)
    run_job(now)
    row = row_of(person)
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == now + timedelta(minutes=1)
    run_job(now + timedelta(minutes=1))
    row = row_of(person)
    assert row.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)
    run_job(now + timedelta(minutes=3))
    assert row_of(person).state == "failed"
    assert join_link_emails() == []


def test_a_crash_between_the_call_and_the_commit_adds_nobody_twice(
    app, zoom, event, organiser, make_registration, run_job, now, monkeypatch
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    person = make_registration(event)
    real = sync.record_added

    def crash(*args, **kwargs):
        raise RuntimeError("the process died after Zoom answered")

    monkeypatch.setattr(sync, "record_added", crash)
    with pytest.raises(RuntimeError):
        run_job(now)
    db.session.rollback()
    assert len(zoom.active("81234567890")) == 1
    monkeypatch.setattr(sync, "record_added", real)
    run_job(now + timedelta(seconds=30))  # still claimed: the lease holds
    assert row_of(person).state == "pending"
    lease = app.config["PLATFORM_LEASE_SECONDS"]
    run_job(now + timedelta(seconds=lease + 1))
    assert row_of(person).state == "synced"
    assert len(zoom.active("81234567890")) == 1
    assert len(zoom.registrants["81234567890"]) == 1
    assert len(join_link_emails()) == 1


def test_cancellation_cancels_the_zoom_registrant_and_hides_the_link(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    person = make_registration(event, "tan@example.org")
    run_job(now)
    registrant_id = row_of(person).platform_registrant_id
    cancel_registration(person, now=now)
    db.session.commit()
    row = row_of(person)
    assert (row.wanted, row.state, row.join_url) == ("remove", "pending", "")
    run_job(now)
    assert row_of(person).state == "removed"
    _m, _p, body = zoom.calls_to("PUT", r"/registrants/status$")[0]
    assert body == {
        "action": "cancel",
        "registrants": [{"id": registrant_id, "email": "tan@example.org"}],
    }
    assert zoom.active("81234567890") == {}


def test_erasure_cancels_by_registrant_id_alone(
    app, zoom, event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    person = make_registration(event, "gone@example.org")
    run_job(now)
    erase(person, now=now)
    db.session.commit()
    run_job(now)
    assert row_of(person).state == "removed"
    _m, _p, body = zoom.calls_to("PUT", r"/registrants/status$")[0]
    assert body["registrants"] == [{"id": row_of(person).platform_registrant_id}]


def test_cancelled_while_being_added_is_then_removed(
    app, zoom, event, organiser, make_registration, now
):
    from consult.platforms.adapters import adapter_for

    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    from consult.platforms.jobs import _meetings

    _meetings(now=now, lease=300, most=5)
    person = make_registration(event)
    [row_id] = sync.claim_due(now=now, limit=10, lease_seconds=300)
    work = sync.prepare(row_id, config=app.config)
    db.session.commit()
    added = sync.perform(work, adapter_for("zoom", app.config))
    cancel_registration(db.session.get(Registration, person.id), now=now)
    db.session.commit()
    told = []
    assert sync.record_added(row_id, added, now=now, tell=lambda *a: told.append(a))
    db.session.commit()
    row = row_of(person)
    assert (row.wanted, row.state) == ("remove", "pending")
    assert row.platform_registrant_id and told == []


def test_jitsi_with_tokens_gives_personal_links_without_any_call(
    app, zoom, event, organiser, make_registration, run_job, now, outbox
):
    link_jitsi(app, event, organiser, now)
    person = make_registration(event, "ana@example.org")
    run_job(now)
    row = row_of(person)
    assert row.state == "synced" and "?jwt=" in row.join_url
    assert zoom.calls == []
    [email] = [m for m in outbox() if ":join_link:" in m.dedup_key]
    assert row.join_url in email.body_text
    cancel_registration(person, now=now)
    db.session.commit()
    assert row_of(person).state == "removed"


def test_jitsi_without_tokens_keeps_the_shared_link_and_calls_it_shared(
    app, event, organiser, make_registration, run_job, now, outbox
):
    app.config["JITSI_APP_SECRET"] = ""
    link_jitsi(app, event, organiser, now)
    person = make_registration(event)
    run_job(now)
    assert row_of(person) is None
    link = join_link_for(person)
    assert (link.url, link.personal) == (event.join_url, False)
