"""Publishing the results page (and taking it down) is committed.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.dashboard.models import ReportNotes, ResultsPublication, ResultsVersion
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


def test_saving_key_findings_keeps_each_version(client, login, organiser, dash_event):
    login(organiser)
    url = f"/manage/events/{dash_event.slug}/report/notes"
    first = client.post(
        url, data={"key_findings": "**Plastics** first.", "next_steps": "Pilot."}
    )
    assert first.status_code == 302
    second = client.post(
        url, data={"key_findings": "Plastics, then food.", "next_steps": ""}
    )
    assert second.status_code == 302
    rows = committed().scalars(select(ReportNotes).order_by(ReportNotes.number)).all()
    assert [(r.number, r.key_findings, r.next_steps) for r in rows] == [
        (1, "**Plastics** first.", "Pilot."),
        (2, "Plastics, then food.", ""),
    ]
    assert {r.saved_by_id for r in rows} == {organiser.id}
    assert all(r.saved_by_name for r in rows)
    assert rows[0].saved_at <= rows[1].saved_at

    # The report shows the latest version, rendered from Markdown.
    page = client.get(f"/manage/events/{dash_event.slug}/report").text
    assert "Plastics, then food." in page
    assert "<strong>Plastics</strong>" not in page

    # Too long: said next to the field, nothing stored.
    refused = client.post(url, data={"key_findings": "x" * 10001, "next_steps": ""})
    assert refused.status_code == 422
    assert "field-error" in refused.text
    assert committed().scalar(select(func.count(ReportNotes.id))) == 2
