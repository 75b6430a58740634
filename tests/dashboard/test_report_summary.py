"""The report's executive summary states the ranking the points give, ties as
ties, per group only for groups at or above the small-group threshold; the
organisers' key findings are versioned and theirs alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.challenges.services import priority_results
from consult.dashboard.models import ReportNotes
from consult.dashboard.services.findings import place_sentence, points_text, rank
from consult.dashboard.services.report import report_data
from consult.dashboard.services.report_notes import latest_notes, save_notes
from consult.dashboard.services.summary import ranking_text
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db


def test_ranking_text_follows_the_points_and_states_ties(app):
    places = rank(
        [(1, "Food", 30), (2, "Plastics", 40), (3, "E-waste", 30), (4, "Digital", 5)]
    )
    sentences = [place_sentence(p, points_text("points", p.score)) for p in places]
    assert ranking_text(sentences) == (
        "Place 1: Plastics, 40 points; "
        "Food and E-waste tie for place 2, 30 points each; "
        "Place 4: Digital, 5 points"
    )


def test_summary_states_the_overall_and_group_rankings_of_the_points(
    app, dash_event, now
):
    report = report_data(dash_event, now=now)
    results = priority_results(dash_event)
    summary = report.summary

    # Overall: every challenge has 40 points, so all three share place 1.
    assert {results.overall[c.id] for c in results.challenges} == {40}
    overall = summary.overall
    assert [p.place for p in overall.places] == [1]
    assert sorted(overall.places[0].names) == sorted(
        c.title for c in results.challenges
    )
    assert "tie for place 1, 40 points each" in overall.text

    # Per group: only the government (5 ballots) reaches the threshold of 5;
    # its order is its points, highest first.
    assert [g.label for g in summary.by_group] == ["Government & public agencies"]
    government = next(
        r for r in results.by_type if r.label == "Government & public agencies"
    )
    by_points = sorted(
        results.challenges, key=lambda c: -government.scores.get(c.id, 0)
    )
    assert [p.names[0] for p in summary.by_group[0].places] == [
        c.title for c in by_points
    ]
    positions = [summary.by_group[0].text.index(c.title) for c in by_points]
    assert positions == sorted(positions)
    # The smaller groups are not ranked on their own, nor named with their points.
    for small in ("Private sector", "Research & academia", "Civil society"):
        assert all(small not in g.text for g in summary.rankings)


def test_summary_on_the_report_page(app, client, login, organiser, dash_event):
    login(organiser)
    page = client.get(f"/manage/events/{dash_event.slug}/report").text
    assert 'id="r-summary"' in page and 'id="summary-overall"' in page
    assert "tie for place 1, 40 points each" in page
    # No key findings yet: no empty section in the report, the editor is open.
    assert 'id="r-notes"' not in page
    assert 'id="notes"' in page


def test_notes_are_versioned_and_the_report_shows_the_latest(
    app, dash_event, organiser, now
):
    save_notes(dash_event, organiser, key_findings="One", next_steps="", now=now)
    save_notes(dash_event, organiser, key_findings="Two", next_steps="Act", now=now)
    db.session.commit()
    numbers = db.session.scalars(
        select(ReportNotes.number).where(ReportNotes.event_id == dash_event.id)
    ).all()
    assert sorted(numbers) == [1, 2]
    assert latest_notes(dash_event).key_findings == "Two"
    assert report_data(dash_event, now=now).notes.next_steps == "Act"


def test_notes_refuse_other_organisers_and_overlong_text(
    app, dash_event, organiser, other_organiser, now
):
    with pytest.raises(PermissionDenied):
        save_notes(
            dash_event, other_organiser, key_findings="x", next_steps="", now=now
        )
    with pytest.raises(ValidationFailed) as refused:
        save_notes(
            dash_event, organiser, key_findings="x" * 10001, next_steps="", now=now
        )
    assert refused.value.field == "key_findings"
    assert latest_notes(dash_event) is None


def test_another_organiser_cannot_post_notes(
    app, client, login, other_organiser, dash_event
):
    login(other_organiser)
    response = client.post(
        f"/manage/events/{dash_event.slug}/report/notes",
        data={"key_findings": "mine", "next_steps": ""},
    )
    assert response.status_code in (403, 404)
    assert db.session.scalar(select(ReportNotes.id)) is None
