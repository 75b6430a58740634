"""Object builders shared by every area's tests: one place, plain functions.

The fixtures in tests/conftest.py (``make_reg_event``, ``reg_event``, ``stype``,
``make_registration``, ``make_user``) are thin wrappers over these, so a test
that needs an event or a registrant outside a fixture (a thread, a helper
module) calls the same code. Each builder commits what it built: tests read it
back through a fresh session as a route or job would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from itertools import count

from sqlalchemy import select

from consult.events.services import EventData, create_event, publish_event
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import (
    add_to_waitlist,
    ensure_stakeholder_types,
    lock_event,
    take_seat,
)
from consult.signing import new_nonce
from tests.clock import wall

# The host the areas that send emails give their `app`, so links built outside a
# request (jobs, threads) are absolute: an area's conftest returns it from its
# `app_config` fixture.
SERVER_NAMED = {"SERVER_NAME": "consult.test"}


@cache
def password_hash_of(password: str) -> str:
    """The app's own argon2id hash of ``password``, made once per test process.

    Hashing at the production cost takes about 0.3 s and most tests make one
    to three users, all with the same password: with a hash per user it was a
    third of the suite's time. Users sharing a password share a hash (a real
    one: logging in still verifies it at full cost); tests of hashing itself
    call consult.auth.passwords directly.
    """
    from consult.auth.passwords import hash_password

    return hash_password(password)


def create_user(
    email: str, role: str = "organiser", password: str = "correct horse battery"
):
    """A committed User named after the address (``ana@…`` -> ``Ana``)."""
    from consult.auth.models import User

    user = User(
        email=email,
        name=email.split("@")[0].title(),
        role=role,
        password_hash=password_hash_of(password),
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_reg_event(
    owner,
    now: datetime,
    *,
    publish: bool = True,
    title: str = "Designing Circular Cities",
    **fields,
):
    """A committed Event open for registration with the five default types.

    Kuala Lumpur time, 16:00-18:00 on day 21 of the test clock (tests/clock.py),
    capacity 100 unless ``capacity`` is given; other ``fields`` are set as
    attributes after creation (e.g. ``waitlist_enabled=False``).
    """
    data = EventData(
        title=title,
        timezone="Asia/Kuala_Lumpur",
        start=wall(21, 16),
        end=wall(21, 18),
        join_url="https://zoom.example.org/j/987654321",
        capacity=fields.pop("capacity", 100),
    )
    event = create_event(owner, data, now=now - timedelta(days=1))
    if publish:
        publish_event(event, owner, now=now - timedelta(days=1))
    for name, value in fields.items():
        setattr(event, name, value)
    ensure_stakeholder_types(event)
    db.session.commit()
    return event


def stakeholder_type(event, key: str) -> StakeholderType:
    """The event's stakeholder type with that key (``government``, ``private``…)."""
    return db.session.scalar(
        select(StakeholderType).where(
            StakeholderType.event_id == event.id, StakeholderType.key == key
        )
    )


def numbers() -> Iterator[int]:
    """1, 2, 3…: one per test, so generated names and addresses never repeat."""
    return count(1)


def create_registration(
    event,
    now: datetime,
    number: int,
    email: str | None = None,
    *,
    type_key: str = "government",
    status: str = "confirmed",
    **fields,
) -> Registration:
    """A committed Registration placed through the seat API.

    ``confirmed`` takes a seat even past the cap, ``waitlisted`` joins the
    waiting list at its end, any other status is set as is. ``number`` names
    the person (``Person 3``, ``person3@example.org``) unless ``email`` is given.
    """
    values = dict(
        event_id=event.id,
        stakeholder_type_id=stakeholder_type(event, type_key).id,
        full_name=f"Person {number}",
        email=email if email is not None else f"person{number}@example.org",
        country="MY",
        timezone="Europe/Brussels",
        privacy_notice_version=event.privacy_notice_version,
        privacy_consented_at=now,
        manage_nonce=new_nonce(),
        created_at=now,
        updated_at=now,
        status="pending",
    )
    confirmed_at = fields.pop("confirmed_at", now)
    values.update(fields)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.flush()
    lock_event(event.id)
    if status == "confirmed":
        take_seat(registration, now=confirmed_at, override_cap=True)
    elif status == "waitlisted":
        add_to_waitlist(registration)
    else:
        registration.status = status
    db.session.commit()
    return registration


def registration_row(
    event_id: int,
    stakeholder_type_id: int,
    now: datetime,
    *,
    email: str,
    full_name: str,
    notice_version: str = "1",
) -> dict:
    """The columns of a new public registration, for a test that inserts the
    row by hand on a connection of its own (``register_fast.INSERT_NEW``)."""
    return {
        "event_id": event_id,
        "stakeholder_type_id": stakeholder_type_id,
        "full_name": full_name,
        "email": email,
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "role": "attendee",
        "status": "pending",
        "manage_nonce": new_nonce(),
        "assisted": False,
        "privacy_notice_version": notice_version,
        "privacy_consented_at": now,
        "created_at": now,
        "updated_at": now,
    }
