"""The public results page: only once published, aggregates only, no small
groups, frozen when published and versioned (issue 27, 5)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.auth.models import User
from consult.challenges.services.common import Author, settings_for
from consult.challenges.services.inputs import InputData, update_input
from consult.dashboard.models import ResultsPublication, ResultsVersion
from consult.dashboard.routes.public import freeze_if_migrated
from consult.dashboard.services.publication import (
    Share,
    fold_small,
    live_figures,
    public_summary,
    publication_status,
    publish_results,
    unpublish_results,
    versions_of,
)
from consult.errors import Conflict, ValidationFailed
from consult.extensions import db
from consult.registration import counting
from consult.registration.services.privacy import erase
from tests.dashboard.conftest import PAYLOAD
from tests.effects import committed
from tests.events.test_manage_pages import FORM as EVENT_FORM
from tests.registration.test_public_pages import form as registration_form


def _participants(page: str) -> int:
    """The participants figure of a public results page."""
    found = re.search(
        r'stat-value">(\d+)</span><span class="stat-label">participants<', page
    )
    return int(found.group(1))


def _page(client, slug, number=None):
    url = f"/events/{slug}/results"
    if number is not None:
        url += f"/versions/{number}"
    return client.get(url)


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
    assert client.get(url + "/versions/1").status_code == 404
    assert public_summary(dash_event) is None
    publish_results(dash_event, organiser, note="What **happens** next", now=now)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<strong>happens</strong>" in text
    assert "Food and organic waste" in text
    assert "(version 1)" in text
    assert unpublish_results(dash_event)
    db.session.commit()
    assert client.get(url).status_code == 404
    assert client.get(url + "/versions/1").status_code == 404
    # Taking the page down keeps the version, for the organisers.
    assert [v.number for v in versions_of(dash_event)] == [1]


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
    assert [row["label"] for row in summary.priority_types] == [
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
    assert "Proposed by Participant 0" in text


def test_the_snapshot_holds_no_personal_data(dash_event, organiser, now):
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    stored = repr(versions_of(dash_event)[0].data)
    for person in dash_event.test_people:
        assert person.email not in stored
        if person is not dash_event.test_people[0]:  # the one consented name
            assert person.full_name not in stored
    assert "Participant 0" in stored


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
    assert versions_of(draft) == []
    event = make_reg_event(title="Other event")
    with pytest.raises(ValidationFailed):
        publish_results(event, organiser, note="x" * 5001, now=now)
    assert versions_of(event) == []
    first = publish_results(event, organiser, note="one", now=now)
    again = publish_results(event, organiser, note="two", now=now)
    assert first is again and again.note == "two"
    assert [(v.number, v.data["note"]) for v in versions_of(event)] == [
        (2, "two"),
        (1, "one"),
    ]


# -- Frozen and versioned -----------------------------------------------------


def test_a_version_stores_its_figures_date_author_rule_and_threshold(
    dash_event, organiser, now
):
    organiser.name = "Aisyah Rahman"
    publish_results(dash_event, organiser, note="Thanks", now=now)
    db.session.commit()
    version = db.session.scalar(select(ResultsVersion))
    assert (version.event_id, version.number) == (dash_event.id, 1)
    assert version.published_at == now
    assert version.published_by_id == organiser.id
    assert version.published_by_name == "Aisyah Rahman"
    assert version.rule_version == counting.RULE_VERSION
    assert version.min_group_size == 5
    data = version.data
    assert data["note"] == "Thanks"
    assert (data["participants"], data["ballots"]) == (12, 12)
    # [default-language label, count, its translations]; None: folded groups
    assert data["types"] == [["Government & public agencies", 5, {}], [None, 7, {}]]
    # Challenges and inputs by their displayed fields, not by id.
    titles = [row["title"] for row in data["priorities"]["challenges"]]
    assert titles[0] == "Food and organic waste"
    assert sum(float(row["share"]) for row in data["priorities"]["challenges"]) == (
        pytest.approx(100)
    )
    group = data["selected"][0]
    assert group["challenge"] == "Food and organic waste"
    assert group["inputs"][0]["title"] == "solution_idea for Food and organic waste"
    assert group["inputs"][0]["public_author_name"] == "Participant 0"


def test_data_changes_do_not_change_the_published_page(
    dash_event, organiser, now, make_registration, client
):
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    before = _page(client, dash_event.slug).get_data(as_text=True)
    assert not publication_status(dash_event).changed
    # Real life: new people, an input unselected, a challenge renamed.
    for i in range(3):
        make_registration(dash_event, type_key="research", full_name=f"New {i}")
    dash_event.test_inputs[2].selected_for_plan = False
    dash_event.test_inputs[0].challenge.title = "Renamed challenge"
    db.session.commit()
    assert live_figures(dash_event)["participants"] == 15
    summary = public_summary(dash_event)
    assert summary.participants == 12
    after = _page(client, dash_event.slug).get_data(as_text=True)
    assert after == before
    assert "Renamed challenge" not in after
    status = publication_status(dash_event)
    assert status.changed and status.latest.number == 1


def test_publishing_again_makes_version_two_and_keeps_version_one(
    dash_event, organiser, now, make_registration, client
):
    publish_results(dash_event, organiser, note="First", now=now)
    db.session.commit()
    make_registration(dash_event, type_key="government", full_name="Late one")
    db.session.commit()
    publish_results(dash_event, organiser, note="Second", now=now + timedelta(days=2))
    db.session.commit()
    assert [v.number for v in versions_of(dash_event)] == [2, 1]
    assert public_summary(dash_event).participants == 13
    assert public_summary(dash_event, 1).participants == 12
    assert not publication_status(dash_event).changed

    latest = _page(client, dash_event.slug).get_data(as_text=True)
    assert "(version 2)" in latest and "Second" in latest
    assert f"/events/{dash_event.slug}/results/versions/1" in latest
    first = _page(client, dash_event.slug, 1)
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "(version 1)" in text and "First" in text
    assert "This is an earlier version of the results." in text
    assert _page(client, dash_event.slug, 2).status_code == 200
    assert _page(client, dash_event.slug, 3).status_code == 404
    assert _page(client, dash_event.slug, 0).status_code == 404


def test_versions_of_another_event_are_not_served(
    dash_event, make_reg_event, organiser, now, client
):
    other = make_reg_event(title="Other event")
    publish_results(dash_event, organiser, note="", now=now)
    publish_results(dash_event, organiser, note="", now=now)
    publish_results(other, organiser, note="", now=now)
    db.session.commit()
    assert _page(client, other.slug, 1).status_code == 200
    assert _page(client, other.slug, 2).status_code == 404


def test_taken_down_versions_are_seen_by_the_event_organisers_only(
    dash_event, organiser, now, client, login, other_organiser
):
    publish_results(dash_event, organiser, note="", now=now)
    unpublish_results(dash_event)
    db.session.commit()
    assert _page(client, dash_event.slug).status_code == 404
    login(other_organiser)
    assert _page(client, dash_event.slug, 1).status_code == 404
    login(organiser)
    page = _page(client, dash_event.slug, 1)
    assert page.status_code == 200
    assert "This page is not public" in page.get_data(as_text=True)
    # Publishing again continues the numbering.
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    assert [v.number for v in versions_of(dash_event)] == [2, 1]


def test_draft_events_have_no_results_page(make_reg_event, organiser, now, client):
    draft = make_reg_event(publish=False)
    db.session.commit()
    assert _page(client, draft.slug).status_code == 404
    assert _page(client, draft.slug, 1).status_code == 404


def test_erasure_unnames_the_author_in_every_stored_version(
    dash_event, organiser, now, client
):
    author = dash_event.test_people[0]
    publish_results(dash_event, organiser, note="", now=now)
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    assert "Proposed by Participant 0" in _page(client, dash_event.slug, 1).text
    erase(author, now=now)
    db.session.commit()
    for version in committed().scalars(select(ResultsVersion)):
        assert "Participant 0" not in repr(version.data)
        names = [item["public_author_name"]
                 for group in version.data["selected"] for item in group["inputs"]]  # fmt: skip
        assert names and not any(names)
    for number in (1, 2):
        text = _page(client, dash_event.slug, number).get_data(as_text=True)
        assert "Participant 0" not in text
        # Only the name goes: the input and the figures stay as published.
        assert "solution_idea for Food and organic waste" in text
    assert public_summary(dash_event).participants == 12


def test_withdrawing_consent_to_be_named_unnames_the_stored_versions(
    dash_event, organiser, now, client
):
    item = dash_event.test_inputs[0]
    settings = settings_for(dash_event)
    settings.opens_at = now - timedelta(days=1)  # the submission window is open
    db.session.add(settings)
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    assert "Proposed by Participant 0" in _page(client, dash_event.slug).text
    data = InputData(
        kind=item.kind,
        title=item.title,
        body=item.body,
        challenge_id=item.challenge_id,
        consent_named=False,
    )
    update_input(item, Author(registration=item.registration), data, now=now)
    db.session.commit()
    version = committed().scalar(select(ResultsVersion))
    assert "Participant 0" not in repr(version.data)
    assert "Participant 0" not in _page(client, dash_event.slug).text


def test_erasing_someone_without_a_named_input_changes_no_version(
    dash_event, organiser, now
):
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    before = versions_of(dash_event)[0].data
    erase(dash_event.test_people[6], now=now)
    db.session.commit()
    assert committed().scalar(select(ResultsVersion)).data == before


def test_a_publication_from_before_versions_is_frozen_when_first_read(
    dash_event, organiser, now, client
):
    # What the migration leaves: the publication and a version 1 without figures.
    db.session.add(
        ResultsPublication(
            event_id=dash_event.id,
            note="Old note",
            published_at=now,
            published_by_id=organiser.id,
            updated_at=now,
        )
    )
    db.session.add(
        ResultsVersion(
            event_id=dash_event.id,
            number=1,
            published_at=now,
            published_by_id=organiser.id,
            published_by_name="",
            rule_version="",
            min_group_size=5,
            data=None,
        )
    )
    db.session.commit()
    response = _page(client, dash_event.slug)
    text = response.get_data(as_text=True)
    assert response.status_code == 200, re.sub(r"\s+", " ", text)[-3000:]
    assert "(version 1)" in text and "Old note" in text
    version = committed().scalar(select(ResultsVersion))
    assert version.data["participants"] == 12
    assert version.rule_version == counting.RULE_VERSION
    # Frozen once: later reads change nothing.
    freeze_if_migrated(dash_event)
    assert committed().scalar(select(ResultsVersion)).data == version.data


# -- Through the dashboard ----------------------------------------------------


def test_publish_through_the_dashboard(dash_event, organiser, login, client):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    response = client.post(base + "/results/publish", data={"note": "Thanks!"})
    assert response.status_code == 302
    page = client.get(base + "/dashboard").get_data(as_text=True)
    assert "Public: version 1," in page and "Take the results page down" in page
    assert "changed since the publication" not in page
    assert "Thanks!" in client.get(f"/events/{dash_event.slug}/results").get_data(
        as_text=True
    )
    response = client.post(base + "/results/publish", data={"note": "x" * 5001})
    assert response.status_code == 400
    assert "Field cannot be longer than 5000 characters." in response.get_data(
        as_text=True
    )
    assert [v.number for v in versions_of(dash_event)] == [1]
    client.post(base + "/results/unpublish")
    assert committed().scalar(select(ResultsPublication)) is None
    # The organiser still sees the version, marked as not public.
    assert "This page is not public" in _page(client, dash_event.slug).text
    page = client.get(base + "/dashboard").get_data(as_text=True)
    assert "Not public." in page
    assert f"/events/{dash_event.slug}/results/versions/1" in page


def test_dashboard_says_when_live_figures_differ(
    dash_event, organiser, login, client, now, make_registration
):
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    make_registration(dash_event, type_key="government")
    db.session.commit()
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    page = client.get(base + "/dashboard").get_data(as_text=True)
    assert "changed since the publication of version 1: publish again" in page
    client.post(base + "/results/publish", data={"note": ""})
    page = client.get(base + "/dashboard").get_data(as_text=True)
    assert "Public: version 2," in page
    assert "changed since the publication" not in page


def test_journey_from_pages_organiser_publishes_visitor_reads(
    client, login, organiser, outbox
):
    """Empty database and an organiser: everything else through the pages."""
    login(organiser)
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    slug = "circular-design-clinic"
    base = f"/manage/events/{slug}"
    assert client.post(f"{base}/publish").status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    for i in range(6):
        response = client.post(
            f"/events/{slug}/register",
            data=registration_form(full_name=f"Guest {i}", email=f"g{i}@example.nl"),
        )
        assert "Your seat is confirmed." in response.text
    assert client.get(f"/events/{slug}/results").status_code == 404

    login(organiser)
    dashboard = client.get(f"{base}/dashboard").get_data(as_text=True)
    assert "Publish the results page" in dashboard
    client.post(f"{base}/results/publish", data={"note": "Thank you all."})
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()

    page = client.get(f"/events/{slug}/results").get_data(as_text=True)
    assert "Thank you all." in page and "(version 1)" in page
    assert _participants(page) == 6
    # A seventh person registers: the public page stays as published.
    response = client.post(
        f"/events/{slug}/register",
        data=registration_form(full_name="Guest 7", email="g7@example.nl"),
    )
    assert "Your seat is confirmed." in response.text
    assert client.get(f"/events/{slug}/results").get_data(as_text=True) == page
    event_page = client.get(f"/events/{slug}").get_data(as_text=True)
    assert f"/events/{slug}/results" in event_page

    login(organiser)
    dashboard = client.get(f"{base}/dashboard").get_data(as_text=True)
    assert "changed since the publication of version 1" in dashboard
    client.post(f"{base}/results/publish", data={"note": "Updated."})
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    page = client.get(f"/events/{slug}/results").get_data(as_text=True)
    assert "(version 2)" in page and _participants(page) == 7
    old = client.get(f"/events/{slug}/results/versions/1").get_data(as_text=True)
    assert "Thank you all." in old and _participants(old) == 6
    stored = committed().scalars(select(ResultsVersion)).all()
    assert sorted(v.number for v in stored) == [1, 2]
    assert {v.published_by_id for v in stored} == {
        committed().scalar(select(User.id).where(User.email == organiser.email))
    }
