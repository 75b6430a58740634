"""Publishing the results page (and taking it down) is committed.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.dashboard.models import ResultsPublication, ResultsVersion
from tests.effects import committed


def _publication(event):
    query = select(ResultsPublication).where(ResultsPublication.event_id == event.id)
    return committed().scalar(query)


def test_publishing_and_unpublishing_results_are_committed(
    client, login, organiser, dash_event
):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}/results"
    assert client.post(f"{base}/publish", data={"note": "Thanks!"}).status_code == 302
    assert _publication(dash_event).note == "Thanks!"
    version = committed().scalar(select(ResultsVersion))
    assert (version.number, version.data["note"]) == (1, "Thanks!")

    assert client.post(f"{base}/unpublish").status_code == 302
    assert _publication(dash_event) is None
    # The versions stay, for the organisers.
    assert committed().scalar(select(ResultsVersion)).number == 1

    again = client.post(f"{base}/unpublish", follow_redirects=True)
    assert "The results page was not public." in again.text
