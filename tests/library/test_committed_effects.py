"""Library management pages commit what they change.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.library.models import LibraryEntry
from tests.effects import committed, committed_row
from tests.library.test_resources import form


def test_resources_are_committed(client, login, organiser, lib_event):
    login(organiser)
    assert client.post("/manage/library/new", data=form(lib_event)).status_code == 302
    entry = committed().scalar(select(LibraryEntry))
    assert (entry.title, entry.created_by_id) == (
        "Circular cities toolkit",
        organiser.id,
    )

    edited = client.post(
        f"/manage/library/{entry.id}/edit", data=form(lib_event, title="Toolkit 2")
    )
    assert edited.status_code == 302
    assert committed_row(LibraryEntry, entry.id).title == "Toolkit 2"

    assert client.post(f"/manage/library/{entry.id}/delete").status_code == 302
    assert committed_row(LibraryEntry, entry.id) is None
