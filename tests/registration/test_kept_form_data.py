"""A registration made on the copies a process keeps, without reading them again.

The POST of the public form takes the kept copies of its event (form_data.py)
without asking the database whether they are current; the event row it locks
tells, and on any difference the request starts again on the event as it is.
"""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.mime import message_id_for
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import RegistrationData, form_data, register
from consult.registration.services.form_data import StaleFormData, kept_form_data
from tests.effects import committed
from tests.registration.test_public_pages import form


def _data(n: int, **changes) -> RegistrationData:
    values = {
        "full_name": f"Person {n}",
        "email": f"kept{n}@example.org",
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "type_key": "government",
        "consent_privacy": True,
    }
    return RegistrationData(**{**values, **changes})


def _stored(email: str) -> Registration | None:
    return committed().scalar(select(Registration).where(Registration.email == email))


def _count() -> int:
    return committed().scalar(select(func.count(Registration.id)))


def _register_kept(kept, data, now):
    return register(
        kept.event,
        data,
        now=now,
        types=list(kept.types),
        questions=list(kept.questions),
        kept_copies=True,
    )


class _Statements:
    """The SQL statements the application's engine runs while active."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def _note(self, conn, cursor, statement, *args):
        self.seen.append(statement)

    def __enter__(self):
        sa_event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc):
        sa_event.remove(self.engine, "before_cursor_execute", self._note)


def test_nothing_is_kept_for_a_slug_until_the_form_data_is_read(reg_event):
    assert kept_form_data(reg_event.slug) is None
    read = form_data(reg_event.slug)
    assert kept_form_data(reg_event.slug) is read
    assert kept_form_data("another-slug") is None


def test_a_renamed_event_is_not_found_under_its_old_slug(reg_event):
    old = reg_event.slug
    form_data(old)
    reg_event.slug = "renamed-event"
    db.session.commit()
    assert form_data("renamed-event").event.slug == "renamed-event"
    # The old name still points at the event's id, whose copies now carry the
    # new slug: nothing is handed out under the old one.
    assert kept_form_data(old) is None


def test_current_copies_register_without_reading_the_event_again(reg_event, now):
    kept = form_data(reg_event.slug)
    result = _register_kept(kept, _data(1), now=now)
    db.session.commit()
    assert result.status == "confirmed"
    assert _stored("kept1@example.org").status == "confirmed"


def test_copies_older_than_the_event_are_refused_and_nothing_is_kept(reg_event, now):
    kept = form_data(reg_event.slug)
    reg_event.requires_approval = True  # after the copies were read
    db.session.commit()
    with pytest.raises(StaleFormData):
        _register_kept(kept, _data(2), now=now)
    db.session.rollback()
    assert _stored("kept2@example.org") is None
    # Read again, the copies give the event's current rule.
    fresh = form_data(reg_event.slug)
    assert fresh is not kept
    assert _register_kept(fresh, _data(2), now=now).status == "pending"


@pytest.mark.parametrize("case", ["registered already", "closed", "unknown group"])
def test_anything_but_a_new_registration_starts_again(reg_event, now, case):
    kept = form_data(reg_event.slug)
    data = _data(3)
    if case == "registered already":
        register(reg_event, data, now=now)
        db.session.commit()
    elif case == "closed":
        reg_event.registration_closes_at = now
        db.session.commit()
        kept = form_data(reg_event.slug)  # even current copies: said on the event
    else:
        data = _data(3, type_key="no-such-group")
    before = _count()
    with pytest.raises(StaleFormData):
        _register_kept(kept, data, now=now)
    db.session.rollback()
    assert _count() == before


def test_the_form_after_an_edit_gives_the_current_rule_through_http(
    client, reg_event, now
):
    client.get(f"/events/{reg_event.slug}/register")  # the process keeps copies
    reg_event.requires_approval = True
    db.session.commit()
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(email="late@example.org")
    )
    assert response.status_code == 200
    assert _stored("late@example.org").status == "pending"


def test_a_registration_on_kept_copies_does_not_look_the_event_up(client, reg_event):
    path = f"/events/{reg_event.slug}/register"
    client.get(path)
    with _Statements(db.engine) as statements:
        response = client.post(path, data=form(email="quick@example.org"))
    assert response.status_code == 200
    assert _stored("quick@example.org").status == "confirmed"
    lookups = [s for s in statements.seen if "events.slug" in s]
    assert lookups == [], lookups


def test_a_group_removed_after_the_copies_were_read_is_refused_next_to_the_field(
    client, reg_event, stype
):
    path = f"/events/{reg_event.slug}/register"
    client.get(path)
    db.session.delete(stype(reg_event, "research"))
    db.session.commit()
    response = client.post(path, data=form(type_key="research"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # Checked against the current groups: the removed one is not offered.
    assert 'value="research"' not in page
    assert 'class="field-error">Not a valid choice.</small>' in page
    assert _count() == 0


def test_a_group_added_after_the_copies_were_read_is_offered_at_once(client, reg_event):
    """The kept path's group choices are made once per set of kept copies: an
    edit makes new copies, so the new group is a valid choice right away."""
    path = f"/events/{reg_event.slug}/register"
    client.post(path, data=form(email="first@example.org"))  # choices kept
    assert _stored("first@example.org").status == "confirmed"
    db.session.add(
        StakeholderType(event_id=reg_event.id, key="youth", label="Youth", position=9)
    )
    db.session.commit()  # bumps the event's registration_version (form_data.py)
    response = client.post(
        path, data=form(email="newgroup@example.org", type_key="youth")
    )
    assert response.status_code == 200
    assert _stored("newgroup@example.org").stakeholder_type.key == "youth"


def test_a_renamed_event_answers_not_found_on_its_old_address(client, reg_event):
    old = f"/events/{reg_event.slug}/register"
    client.get(old)
    reg_event.slug = "moved-away"
    db.session.commit()
    assert client.post(old, data=form()).status_code == 404
    assert _count() == 0


def _queued_for(email: str) -> list[OutboundEmail]:
    return list(
        committed().scalars(
            select(OutboundEmail).where(OutboundEmail.recipient == email)
        )
    )


def test_the_seat_or_the_place_and_the_email_go_in_one_statement_on_postgresql(
    client, make_reg_event, database_url
):
    """The new row, its seat (or place) and the outbox row in one round trip
    on PostgreSQL; one by one on SQLite. The rows are the same either way."""
    event = make_reg_event(capacity=1, title="One Seat")
    path = f"/events/{event.slug}/register"
    client.get(path)
    seen = {}
    for name in ("seated", "waiting"):
        with _Statements(db.engine) as statements:
            response = client.post(path, data=form(email=f"{name}@example.org"))
        assert response.status_code == 200
        # Up to the thank-you page's reads (its next steps; SQLite's BEGIN).
        ends = [
            i
            for i, s in enumerate(statements.seen)
            if s.startswith("BEGIN") or "FROM surveys" in s
        ]
        seen[name] = [s.split()[0] for s in statements.seen[: min(ends, default=None)]]
    postgresql = database_url.startswith("postgresql")
    # PostgreSQL: the lock, the row with its seat or place and the email in
    # one statement (register_one.py), which also tells whether anyone listens
    # to the event's facts (webhooks). SQLite: the lock, the row, the seat or
    # place and the email one by one (the seat is two updates there); the
    # first registration of an event in a process also asks whether the event
    # has webhooks (one more SELECT), and while none is made or resumed the
    # process remembers there is none: 6 and 4.
    assert len(seen["seated"]) == (1 if postgresql else 6), seen
    assert len(seen["waiting"]) == (1 if postgresql else 4), seen
    if postgresql:
        assert seen["seated"] == seen["waiting"] == ["WITH"], seen
    else:
        assert seen["seated"][:2] == ["SELECT", "INSERT"], seen  # lock, then row
    assert _stored("seated@example.org").status == "confirmed"
    waiting = _stored("waiting@example.org")
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)
    [seat_email] = _queued_for("seated@example.org")
    [wait_email] = _queued_for("waiting@example.org")
    for row, kind in ((seat_email, "confirmed"), (wait_email, "waitlisted")):
        registration = _stored(row.recipient)
        assert row.registration_id == registration.id
        assert row.dedup_key == f"registration:{registration.id}:{kind}"
        # Written by the statement on PostgreSQL: the same as Python's.
        assert row.message_id == message_id_for(
            row.dedup_key, current_app.config["MAIL_DEFAULT_SENDER"]
        )
        assert row.template == f"registration_{kind}" and row.status == "queued"
        assert row.composer == "registration" and row.channel == "email"
        assert row.recipient_name == "Jan de Vries" and row.event_id == event.id
        assert "One Seat" in row.subject
        assert (row.language, row.sender_name, row.reply_to) == ("", "", "")
    assert seat_email.params == {"kind": "confirmed", "version": 1}
    assert wait_email.params == {
        "kind": "waitlisted",
        "version": 1,
        "waitlist_place": 1,
    }
