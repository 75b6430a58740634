"""Open data: the published results and the public library as JSON and CSV,
no login, exactly what the public pages show."""

from __future__ import annotations

import csv
import io
import re

from markupsafe import escape

from consult.dashboard.services.publication import public_summary, publish_results
from consult.events.models import Event
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.opendata.services import published_results

OTHER = "Other groups (combined)"


def _rows(response) -> list[dict]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def _publish(event, organiser, now):
    publish_results(event, organiser, note="Next: **pilots**", now=now)
    db.session.commit()


def test_nothing_before_publication(client, dash_event):
    for suffix in ("results.json", "results.csv"):
        assert client.get(f"/events/{dash_event.slug}/{suffix}").status_code == 404
    assert client.get("/events/no-such-event/results.json").status_code == 404


def test_a_draft_event_is_a_404(client, make_reg_event):
    draft = make_reg_event(publish=False)
    assert client.get(f"/events/{draft.slug}/results.json").status_code == 404


def test_json_equals_the_results_page(client, dash_event, organiser, now):
    _publish(dash_event, organiser, now)
    response = client.get(f"/events/{dash_event.slug}/results.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    summary = public_summary(dash_event)
    page = client.get(f"/events/{dash_event.slug}/results").get_data(as_text=True)
    shown = re.search(
        r'stat-value">(\d+)</span><span class="stat-label">participants<', page
    )
    assert data["participants"] == int(shown.group(1)) == summary.participants == 12
    assert data["version"] == 1 and data["note"] == "Next: **pilots**"
    assert data["priority_ballots"] == summary.ballots
    # Small groups combined, as on the page: government alone, the rest together.
    types = {t["label"]: t for t in data["stakeholder_types"]}
    assert types[OTHER]["participants"] == 7 and types[OTHER]["combined"]
    assert all(t["participants"] >= 5 for t in data["stakeholder_types"])
    for label in types:
        assert str(escape(label)) in page
    assert [(c["title"], c["share"]) for c in data["priorities"]["challenges"]] == [
        (title, str(share)) for title, share in summary.challenge_shares
    ]
    assert data["published_at"].endswith("Z")
    # No personal data beyond the page's: no address, and a registrant is
    # named only where the page names them (an author who consented).
    text = response.get_data(as_text=True)
    assert "@" not in text
    for person in dash_event.test_people:
        if person.full_name in text:
            assert str(escape(person.full_name)) in page


def test_csv_parses_and_carries_the_same_figures(client, dash_event, organiser, now):
    _publish(dash_event, organiser, now)
    response = client.get(f"/events/{dash_event.slug}/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = _rows(response)
    data = published_results(dash_event)
    by_section = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert by_section["participants"][0]["count"] == str(data["participants"])
    assert [(r["label"], int(r["count"])) for r in by_section["stakeholder_type"]] == [
        (t["label"], t["participants"]) for t in data["stakeholder_types"]
    ]
    assert [r["share"] for r in by_section["priority"]] == [
        c["share"] for c in data["priorities"]["challenges"]
    ]


def test_etag_and_cache_headers(client, dash_event, organiser, now):
    _publish(dash_event, organiser, now)
    url = f"/events/{dash_event.slug}/results.json"
    first = client.get(url)
    assert first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    assert "max-age=" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    publish_results(dash_event, organiser, note="Version two", now=now)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2


def _entry(event, title, now, **fields):
    entry = LibraryEntry(
        source="resource", event_id=event.id, title=title,
        summary="A resource.", published_at=now, **fields,
    )  # fmt: skip
    db.session.add(entry)
    return entry


def test_library_lists_public_entries_only(client, make_reg_event, now):
    public = make_reg_event(title="Public webinar")
    draft = make_reg_event(title="Draft webinar", publish=False)
    _entry(public, "Repair cafés", now, city="Utrecht", country="NL",
           links="https://example.org/repair")  # fmt: skip
    _entry(draft, "SECRET draft resource", now)
    db.session.commit()
    data = client.get("/library.json").get_json()
    assert [e["title"] for e in data["entries"]] == ["Repair cafés"]
    (entry,) = data["entries"]
    assert entry["event_slug"] == public.slug
    assert entry["links"] == ["https://example.org/repair"]
    assert (entry["city"], entry["country"]) == ("Utrecht", "NL")
    page = client.get("/library").get_data(as_text=True)
    assert "Repair cafés" in page and "SECRET" not in page
    rows = _rows(client.get("/library.csv"))
    assert [(r["title"], r["links"]) for r in rows] == [
        ("Repair cafés", "https://example.org/repair")
    ]


def test_library_csv_neutralises_formulas(client, make_reg_event, now):
    event = make_reg_event()
    _entry(event, '=HYPERLINK("x")', now)
    db.session.commit()
    (row,) = _rows(client.get("/library.csv"))
    assert not row["title"].startswith("=")


def test_the_pages_link_to_the_downloads(client, dash_event, organiser, now):
    _publish(dash_event, organiser, now)
    page = client.get(f"/events/{dash_event.slug}/results").get_data(as_text=True)
    assert f"/events/{dash_event.slug}/results.json" in page
    assert f"/events/{dash_event.slug}/results.csv" in page
    library = client.get("/library").get_data(as_text=True)
    assert "/library.json" in library and "/library.csv" in library
    assert db.session.get(Event, dash_event.id) is not None
