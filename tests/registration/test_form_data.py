"""The registration form's per-process data: kept while the event is unchanged.

Every change to the event (but its seat counter), its stakeholder types or its
questions bumps ``events.registration_version`` in the same transaction, and
the next request in any process loads fresh copies.
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import RegistrationQuestion
from consult.registration.services import RegistrationData, form_data, register


def _version(event) -> int:
    return db.session.scalar(
        select(Event.registration_version).where(Event.id == event.id)
    )


def _data(n: int) -> RegistrationData:
    return RegistrationData(
        full_name=f"Person {n}",
        email=f"p{n}@example.org",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )


def test_copies_are_kept_while_nothing_changes(reg_event, now):
    first = form_data(reg_event.slug)
    again = form_data(reg_event.slug)
    assert again is first
    assert first.event.id == reg_event.id and first.event.title == reg_event.title
    assert [t.key for t in first.types][:2] == ["government", "private"]
    # Detached copies: nothing can flush them.
    assert inspect(first.event).transient
    assert all(inspect(t).transient for t in first.types)
    # A registration moves the seat counter, not the form.
    before = _version(reg_event)
    register(reg_event, _data(1), now=now)
    db.session.commit()
    assert _version(reg_event) == before
    assert form_data(reg_event.slug) is first


def test_every_edit_of_the_form_bumps_the_version(reg_event, stype, now):
    start = _version(reg_event)
    kept = form_data(reg_event.slug)

    stype(reg_event, "government").label = "City government"
    db.session.commit()
    assert _version(reg_event) == start + 1
    fresh = form_data(reg_event.slug)
    assert fresh is not kept
    assert fresh.types[0].label == "City government"

    question = RegistrationQuestion(
        event_id=reg_event.id, label="Sector", kind="text", position=1
    )
    db.session.add(question)
    db.session.commit()
    assert _version(reg_event) == start + 2
    assert [q.label for q in form_data(reg_event.slug).questions] == ["Sector"]

    db.session.delete(question)
    db.session.commit()
    assert _version(reg_event) == start + 3
    assert form_data(reg_event.slug).questions == ()

    reg_event.capacity = 3
    db.session.commit()
    assert _version(reg_event) == start + 4
    assert form_data(reg_event.slug).event.capacity == 3


def test_unknown_slug_has_no_form_data(app):
    assert form_data("no-such-event") is None


def test_an_organisers_edit_shows_on_the_next_public_form(
    client, login, organiser, reg_event, stype
):
    page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    assert "Civil society" in page
    kind = stype(reg_event, "civil_society")
    login(organiser)
    saved = client.post(
        f"/manage/events/{reg_event.slug}/registration-settings/types/{kind.id}",
        data={"label": "Community groups", "description": "", "target_share": "20"},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert stype(reg_event, "civil_society").label == "Community groups"

    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    assert "Community groups" in page


def test_registering_leaves_the_shared_copies_untouched(reg_event, now):
    kept = form_data(reg_event.slug)
    seats_before = kept.event.confirmed_count
    result = register(kept.event, _data(7), now=now, types=list(kept.types))
    db.session.commit()
    assert result.status == "confirmed"
    # The seat is counted in the database, not in the copy other requests read.
    assert kept.event.confirmed_count == seats_before
    db.session.expire_all()
    assert db.session.get(Event, reg_event.id).confirmed_count == seats_before + 1
    assert form_data(reg_event.slug) is kept


def test_a_setting_changed_after_the_form_was_read_is_honoured(reg_event, stype, now):
    # A request read the form's data; the organiser then switched on approval
    # and lowered a cap before that request registered anyone.
    kept = form_data(reg_event.slug)
    reg_event.requires_approval = True
    db.session.commit()
    result = register(kept.event, _data(8), now=now, types=list(kept.types))
    db.session.commit()
    assert result.status == "pending"

    reg_event.requires_approval = False
    db.session.commit()
    stale = form_data(reg_event.slug)
    stype(reg_event, "government").cap = 0
    db.session.commit()
    result = register(stale.event, _data(9), now=now, types=list(stale.types))
    db.session.commit()
    assert result.status == "waitlisted"
