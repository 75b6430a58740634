"""The public results page: only once published, aggregates only, no small groups."""

from __future__ import annotations

import pytest

from consult.dashboard.services.publication import (
    Share,
    fold_small,
    public_summary,
    publish_results,
    unpublish_results,
)
from consult.errors import Conflict, ValidationFailed
from consult.extensions import db
from tests.dashboard.conftest import PAYLOAD


def test_fold_small_never_shows_a_group_under_five():
    labels = {1: "Gov", 2: "Private", 3: "Research", 4: "Civil", 5: "Informal"}
    shares = fold_small({1: 12, 2: 9, 3: 2, 4: 1, 5: 0}, labels, "Other")
    # Research and Civil hold 3 together: Private (the smallest shown) joins them.
    assert shares == [Share("Gov", 12), Share("Other", 12)]
    assert fold_small({1: 7, 2: 5}, labels, "Other") == [
        Share("Gov", 7),
        Share("Private", 5),
    ]
    assert all(s.count >= 5 for s in fold_small({1: 3, 2: 3}, labels, "Other"))


def test_results_are_private_until_published(dash_event, organiser, client, now):
    url = f"/events/{dash_event.slug}/results"
    assert client.get(url).status_code == 404
    assert public_summary(dash_event) is None
    publish_results(dash_event, organiser, note="What **happens** next", now=now)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<strong>happens</strong>" in text
    assert "Food and organic waste" in text
    assert unpublish_results(dash_event)
    db.session.commit()
    assert client.get(url).status_code == 404


def test_public_page_has_no_personal_data_and_no_small_groups(
    dash_event, organiser, client, now
):
    person = dash_event.test_people[1]
    person.full_name = "Secret Person " + PAYLOAD
    dash_event.test_inputs[0].title = PAYLOAD
    db.session.commit()
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    summary = public_summary(dash_event)
    # 5 government, 4 private, 2 research, 1 civil society confirmed.
    assert summary.participants == 12
    assert [(s.label, s.count) for s in summary.types] == [
        ("Government & public agencies", 5),
        ("Other groups (combined)", 7),
    ]
    assert [row.label for row in summary.priority_types] == [
        "Government & public agencies"
    ]
    text = client.get(f"/events/{dash_event.slug}/results").get_data(as_text=True)
    assert "Secret Person" not in text
    assert "@example.org" not in text
    assert "Research &amp; academia" not in text
    assert PAYLOAD not in text and "&lt;script&gt;" in text
    # Only inputs selected for the action plan, named only with consent.
    assert "solution_idea for Food and organic waste" not in text  # poisoned title
    assert "solution_idea for Plastic pollution and packaging" in text
    assert "best_practice for" not in text
    assert "Participant 1" not in text


def test_priorities_hidden_below_five_ballots(reg_event, organiser, now, client):
    publish_results(reg_event, organiser, note="", now=now)
    db.session.commit()
    summary = public_summary(reg_event)
    assert summary.priorities is None
    text = client.get(f"/events/{reg_event.slug}/results").get_data(as_text=True)
    assert "Priorities are shown once at least 5 participants" in text
    assert "No inputs have been selected" in text


def test_publishing_rules(make_reg_event, organiser, now):
    draft = make_reg_event(publish=False)
    with pytest.raises(Conflict):
        publish_results(draft, organiser, note="", now=now)
    event = make_reg_event(title="Other event")
    with pytest.raises(ValidationFailed):
        publish_results(event, organiser, note="x" * 5001, now=now)
    first = publish_results(event, organiser, note="one", now=now)
    again = publish_results(event, organiser, note="two", now=now)
    assert first is again and again.note == "two"


def test_publish_through_the_dashboard(dash_event, organiser, login, client):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    response = client.post(base + "/results/publish", data={"note": "Thanks!"})
    assert response.status_code == 302
    page = client.get(base + "/dashboard").get_data(as_text=True)
    assert "Public since" in page and "Take the results page down" in page
    assert "Thanks!" in client.get(f"/events/{dash_event.slug}/results").get_data(
        as_text=True
    )
    response = client.post(base + "/results/publish", data={"note": "x" * 5001})
    assert response.status_code == 400
    assert "Field cannot be longer than 5000 characters." in response.get_data(
        as_text=True
    )
    client.post(base + "/results/unpublish")
    assert client.get(f"/events/{dash_event.slug}/results").status_code == 404
