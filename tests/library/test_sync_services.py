"""The library follows inputs through the challenges area's own services."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.challenges.services import (
    Author,
    InputData,
    WindowData,
    hide_input,
    merge_input,
    publish_input,
    submit_input,
    update_input,
    update_window,
)
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.library.services import LibraryQuery, search_library
from consult.timeutil import to_local


def found(q: str) -> list[str]:
    return [e.title for e in search_library(LibraryQuery(q=q)).entries]


def practice(title="Deposit return for bottles", **fields) -> InputData:
    values = dict(
        kind="best_practice",
        title=title,
        body="Shops take back plastic bottles.",
        category="plastics_packaging",
        city="Utrecht",
        country="NL",
        organisation="Municipality of Utrecht",
        period="2019–2023",
        results="Return rate above 90%.",
        links="https://example.org/deposit",
    )
    values.update(fields)
    return InputData(**values)


def test_submit_publish_edit_hide_merge(lib_event, make_registration, organiser, now):
    local_now = to_local(now, lib_event.timezone).replace(tzinfo=None)
    update_window(
        lib_event,
        organiser,
        WindowData(local_now - timedelta(days=1), local_now + timedelta(days=7)),
        now=now,
    )
    author = Author(registration=make_registration(lib_event))
    item = submit_input(lib_event, author, practice(), now=now)
    other = submit_input(lib_event, author, practice("Bottle deposit (copy)"), now=now)
    db.session.commit()
    assert found("bottles") == []  # submitted: not yet public

    publish_input(item, organiser, now=now)
    publish_input(other, organiser, now=now)
    db.session.commit()
    assert sorted(found("bottles")) == [
        "Bottle deposit (copy)",
        "Deposit return for bottles",
    ]

    # The author's edit sends it back to moderation: it leaves the library.
    update_input(item, author, practice(body="Refill points in parks."), now=now)
    db.session.commit()
    assert found("refill") == []
    publish_input(item, organiser, now=now)
    db.session.commit()
    assert found("refill") == ["Deposit return for bottles"]

    merge_input(other, organiser, item.id, now=now)
    db.session.commit()
    assert found("bottle") == ["Deposit return for bottles"]

    hide_input(item, organiser, "Not a best practice after all", now=now)
    db.session.commit()
    assert found("refill") == []
    assert db.session.scalar(select(LibraryEntry)) is None
