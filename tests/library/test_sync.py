"""sync_input_entry: the library holds exactly the published best practices."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.challenges.models import Input
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.library.services import (
    LibraryQuery,
    public_entry,
    search_library,
    sync_input_entry,
)


def entry_of(item) -> LibraryEntry | None:
    return db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.input_id == item.id)
    )


def change(item, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    sync_input_entry(item)
    db.session.commit()


def found(q: str) -> list[str]:
    return [e.title for e in search_library(LibraryQuery(q=q)).entries]


def test_a_published_best_practice_is_copied(lib_event, make_input, now):
    item = make_input(lib_event, country="nl")
    entry = entry_of(item)
    assert entry.source == "input"
    assert (entry.title, entry.city, entry.country) == (item.title, "Utrecht", "NL")
    assert entry.body == item.body and entry.results == item.results
    assert (entry.organisation, entry.period) == (
        "Municipality of Utrecht",
        "2019–2023",
    )
    assert entry.links == "https://example.org/deposit"
    assert entry.category == "plastics_packaging"
    assert entry.published_at == now - timedelta(days=1)
    assert found("deposit") == [item.title]


def test_submitted_inputs_and_other_kinds_stay_out(lib_event, make_input):
    submitted = make_input(lib_event, state="submitted", title="Bottle deposit draft")
    idea = make_input(lib_event, kind="solution_idea", title="Bottle idea")
    assert entry_of(submitted) is None and entry_of(idea) is None
    assert found("bottle") == []


def test_publishing_adds_and_hiding_removes(lib_event, make_input, now):
    item = make_input(lib_event, state="submitted")
    change(item, state="published", published_at=now)
    assert found("deposit") == [item.title]
    change(item, state="hidden", hidden_reason="Off topic")
    assert entry_of(item) is None
    assert found("deposit") == []


def test_merging_removes_the_duplicate(lib_event, make_input):
    keep = make_input(lib_event, title="Deposit return (Utrecht)")
    duplicate = make_input(lib_event, title="Deposit scheme copy")
    change(duplicate, state="merged", merged_into_id=keep.id)
    assert entry_of(duplicate) is None
    assert found("deposit") == ["Deposit return (Utrecht)"]


def test_an_edit_updates_the_copy(lib_event, make_input):
    item = make_input(lib_event)
    entry_id = entry_of(item).id
    change(item, title="Refill stations", body="Water refill points in parks.")
    entry = entry_of(item)
    assert entry.id == entry_id
    assert entry.title == "Refill stations"
    assert found("refill") == ["Refill stations"]
    assert found("deposit") == []


def test_changing_the_kind_removes_the_copy(lib_event, make_input):
    item = make_input(lib_event)
    change(item, kind="problem_insight")
    assert entry_of(item) is None


def test_the_category_falls_back_to_the_challenge(
    lib_event, make_input, make_challenge
):
    challenge = make_challenge(lib_event, category="e_waste", title="Household e-waste")
    item = make_input(lib_event, category=None, challenge_id=challenge.id)
    entry = entry_of(item)
    assert (entry.category, entry.challenge_id) == ("e_waste", challenge.id)
    item2 = make_input(lib_event, category=None)
    assert entry_of(item2).category == ""


def test_deleting_the_input_deletes_the_copy(lib_event, make_input):
    item = make_input(lib_event)
    db.session.execute(Input.__table__.delete().where(Input.id == item.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(LibraryEntry)) is None
    assert found("deposit") == []


def test_a_hidden_input_never_shows_even_if_sync_was_missed(lib_event, make_input):
    item = make_input(lib_event)
    entry_id = entry_of(item).id
    item.state = "hidden"  # no sync: the public queries check the input too
    db.session.commit()
    assert found("deposit") == []
    assert public_entry(entry_id) is None


def test_sync_is_idempotent_and_only_flushes(lib_event, make_input):
    item = make_input(lib_event)
    sync_input_entry(item)
    sync_input_entry(item)
    db.session.rollback()
    assert db.session.scalar(
        select(LibraryEntry.id).where(LibraryEntry.input_id == item.id)
    )
    assert len(list(db.session.scalars(select(LibraryEntry)))) == 1
