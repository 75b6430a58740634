"""PostgreSQL: the lock, the new row with its seat or place and the email in one statement.

register_one.py guesses, per event, whether the next registration finds the
event full. A wrong guess must change nothing: the fast path then inserts the
row and decides on the locked event's counters, and every invariant holds
(one email each, the right counter, unique positions).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.register_one import _guesses
from tests.effects import committed
from tests.registration.test_kept_form_data import _Statements
from tests.registration.test_public_pages import form


@pytest.fixture
def postgresql_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the one-statement registration is PostgreSQL's")


def _post(client, path, email):
    with _Statements(db.engine) as statements:
        response = client.post(path, data=form(email=email))
    assert response.status_code == 200
    return [s.split()[0] for s in statements.seen]


def _emails(email):
    return list(
        committed().scalars(
            select(OutboundEmail).where(OutboundEmail.recipient == email)
        )
    )


def _person(email):
    return committed().scalar(select(Registration).where(Registration.email == email))


def test_a_wrong_guess_changes_nothing_and_the_fast_path_decides(
    postgresql_only, client, make_reg_event
):
    event = make_reg_event(capacity=1, title="One Seat")
    path = f"/events/{event.slug}/register"
    client.get(path)  # the form's copies, kept by this application
    guesses = _guesses()
    known = (event.id, event.created_at)

    # Guessed full while a seat is free: the waiting-list statement finds a
    # seat and inserts nothing; the fast path inserts the row and seats the
    # person (the counter, the status and the email in one more statement).
    guesses[known] = True
    first = _post(client, path, "first@example.org")
    assert first[:3] == ["WITH", "INSERT", "WITH"], first
    person = _person("first@example.org")
    assert (person.status, person.waitlist_position) == ("confirmed", None)
    [email] = _emails("first@example.org")
    assert email.params == {"kind": "confirmed", "version": 1}
    assert guesses[known] is False  # the other way next time

    # Guessed a seat once the event is full: the seat's statement changes
    # nothing (no counter moved, no confirmation queued); the fast path
    # queues the person at place 1.
    second = _post(client, path, "second@example.org")
    assert second[:3] == ["WITH", "INSERT", "WITH"], second
    person = _person("second@example.org")
    assert (person.status, person.waitlist_position) == ("waitlisted", 1)
    [email] = _emails("second@example.org")
    assert email.params == {"kind": "waitlisted", "version": 1, "waitlist_place": 1}

    # Guessed right from now on: one statement writes everything.
    assert guesses[known] is True
    third = _post(client, path, "third@example.org")
    assert third[0] == "WITH" and third.count("WITH") == 1, third
    assert "INSERT" not in third and "UPDATE" not in third, third
    assert first.count("WITH") == second.count("WITH") == 2, (first, second)
    person = _person("third@example.org")
    assert (person.status, person.waitlist_position) == ("waitlisted", 2)
    [email] = _emails("third@example.org")
    assert email.params["waitlist_place"] == 2

    refreshed = committed().get(type(event), event.id)
    assert (refreshed.confirmed_count, refreshed.waiting_count) == (1, 2)
    assert committed().scalar(select(func.count(OutboundEmail.id))) == 3


def test_the_seat_statement_tells_when_the_event_is_full(
    postgresql_only, client, make_reg_event
):
    """The last seat's statement says the event is full now, so the next
    person is queued in one statement, without a wrong guess."""
    event = make_reg_event(capacity=2)
    path = f"/events/{event.slug}/register"
    client.get(path)
    known = (event.id, event.created_at)
    seen = [_post(client, path, f"p{n}@example.org") for n in range(4)]
    for statements in seen:
        # The one statement, then only the thank-you page's reads.
        assert statements[0] == "WITH", seen
        assert statements.count("WITH") == 1, seen
        assert "INSERT" not in statements and "UPDATE" not in statements, seen
    assert _guesses()[known] is True
    statuses = [_person(f"p{n}@example.org").status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    refreshed = committed().get(type(event), event.id)
    assert (refreshed.confirmed_count, refreshed.waiting_count) == (2, 2)


def test_people_waiting_while_a_seat_is_free_are_served_first(
    postgresql_only, client, make_reg_event, make_registration
):
    """Seats free while people wait (capacity raised without promotion): the
    seat's statement does not act, and the general path promotes the first
    person waiting before placing the newcomer."""
    event = make_reg_event(capacity=1)
    make_registration(event, email="seated@example.org")
    waiting = make_registration(event, email="waiting@example.org", status="waitlisted")
    db.session.execute(
        Registration.__table__.update()
        .where(Registration.id == waiting.id)
        .values(waitlist_position=1)
    )
    event.capacity = 2  # one seat free, one person waiting: not promoted yet
    db.session.commit()
    path = f"/events/{event.slug}/register"
    client.get(path)
    _guesses()[(event.id, event.created_at)] = False
    _post(client, path, "newcomer@example.org")
    assert _person("waiting@example.org").status == "confirmed"
    assert _person("newcomer@example.org").status == "waitlisted"


def test_an_email_registered_already_keeps_the_guess_and_inserts_nothing_more(
    postgresql_only, client, make_reg_event
):
    """A second submission with a registered email: the statement finds its
    guess right and the email taken. The guess stays, nothing is inserted
    into registrations a second time, and the person's link is sent again."""
    event = make_reg_event(capacity=5)
    path = f"/events/{event.slug}/register"
    client.get(path)
    known = (event.id, event.created_at)
    _post(client, path, "twice@example.org")
    assert _guesses()[known] is False
    with _Statements(db.engine) as statements:
        response = client.post(path, data=form(email="twice@example.org"))
    assert response.status_code == 200
    assert statements.seen[0].startswith("WITH")
    again = [s for s in statements.seen if s.startswith("INSERT INTO registrations")]
    assert again == [], statements.seen
    assert _guesses()[known] is False
    [person] = committed().scalars(
        select(Registration).where(Registration.email == "twice@example.org")
    )
    assert person.status == "confirmed"
    kinds = sorted(e.dedup_key.split(":")[2] for e in _emails("twice@example.org"))
    assert kinds == ["confirmed", "link_resent"]
    refreshed = committed().get(type(event), event.id)
    assert refreshed.confirmed_count == 1


def test_text_is_cast_without_its_length_so_a_long_value_is_refused_not_cut():
    """PostgreSQL cuts a value cast to VARCHAR(n) without a word; cast to
    VARCHAR, a value too long for its column fails at the INSERT."""
    from sqlalchemy.dialects import postgresql

    from consult.registration.services.register_one import _REGISTRATIONS, _typed

    sql = str(
        _typed(_REGISTRATIONS, "email", "r_").compile(dialect=postgresql.dialect())
    )
    assert "VARCHAR(254)" not in sql and "VARCHAR" in sql, sql


def test_a_row_without_a_computed_default_is_refused_when_the_statement_is_built():
    """``answers``, ``created_at`` and ``updated_at`` get their defaults from
    Python; an INSERT from a SELECT would leave them NULL, so the statement
    is not built without them."""
    from consult.registration.services.register_one import _statement

    with pytest.raises(ValueError, match="answers"):
        _statement(
            False,
            ("full_name", "email", "created_at", "updated_at"),
            (),
            "x@example.org",
        )


def test_a_seat_freed_at_an_event_without_a_waiting_list_is_guessed_again(
    postgresql_only, client, make_reg_event
):
    """Guessed full at an event without a waiting list, while a seat is free:
    the fast path seats the person on the locked counters, and those make the
    next guess, so the next person is seated in one statement."""
    event = make_reg_event(capacity=3, waitlist_enabled=False)
    path = f"/events/{event.slug}/register"
    client.get(path)
    known = (event.id, event.created_at)
    _guesses()[known] = True
    first = _post(client, path, "freed-1@example.org")
    assert first[:3] == ["SELECT", "INSERT", "WITH"], first  # lock, row, seat
    assert _guesses()[known] is False
    second = _post(client, path, "freed-2@example.org")
    assert second[0] == "WITH" and "INSERT" not in second, second
    statuses = [_person(f"freed-{n}@example.org").status for n in (1, 2)]
    assert statuses == ["confirmed", "confirmed"]
    refreshed = committed().get(type(event), event.id)
    assert refreshed.confirmed_count == 2
