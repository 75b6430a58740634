"""Organiser pages: access, challenges, moderation, experts, priorities."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.challenges.models import Challenge, Expert
from consult.challenges.services import (
    event_challenges,
    expert_token,
    save_priorities,
    settings_for,
)
from consult.extensions import db
from tests.clock import field, wall
from tests.conftest import make_app


def _urls(event, item_id=1, challenge_id=1):
    base = f"/manage/events/{event.slug}/challenges"
    return [
        base,
        f"{base}/{challenge_id}/edit",
        f"{base}/inputs",
        f"{base}/inputs/{item_id}",
        f"{base}/experts",
        f"{base}/priorities",
    ]


def test_anonymous_is_sent_to_login(client, ch_event):
    for url in _urls(ch_event):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_another_organiser_is_refused(
    client, login, other_organiser, ch_event, make_registration, make_input
):
    item = make_input(ch_event, make_registration(ch_event))
    login(other_organiser)
    challenge_id = event_challenges(ch_event)[0].id
    for url in _urls(ch_event, item.id, challenge_id):
        assert client.get(url).status_code == 403, url
    publish = f"/manage/events/{ch_event.slug}/challenges/inputs/{item.id}/publish"
    assert client.post(publish).status_code == 403
    db.session.refresh(item)
    assert item.state == "submitted"


def test_add_edit_reorder_archive(client, login, organiser, ch_event):
    login(organiser)
    base = f"/manage/events/{ch_event.slug}/challenges"
    response = client.post(
        base,
        data={
            "title": "Water reuse",
            "category": "water",
            "city": "PJ",
            "description": "*x*",
        },
    )
    assert response.status_code == 302
    added = event_challenges(ch_event)[-1]
    assert (added.title, added.position) == ("Water reuse", 3)
    bad = client.post(base, data={"title": "", "category": "water"})
    assert bad.status_code == 422
    client.post(
        f"{base}/{added.id}/edit",
        data={"title": "Water", "category": "water", "city": "PJ", "description": ""},
    )
    client.post(f"{base}/{added.id}/up")
    assert [c.title for c in event_challenges(ch_event)][2] == "Water"
    client.post(f"{base}/{added.id}/archive")
    assert "Water" not in [c.title for c in event_challenges(ch_event)]
    client.post(f"{base}/{added.id}/remove")
    assert db.session.get(Challenge, added.id) is None
    page = client.get(base).get_data(as_text=True)
    assert "Food and organic waste" in page


def test_window_and_method(client, login, organiser, ch_event):
    login(organiser)
    url = f"/manage/events/{ch_event.slug}/challenges/window"
    bad = client.post(
        url,
        data={
            "opens_at": field(wall(7, 9)),
            "closes_at": field(wall(6, 9)),
            "priority_method": "points",
        },
    )
    assert bad.status_code == 422
    assert "close after it opens" in bad.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "opens_at": field(wall(-4, 9)),
            "closes_at": field(wall(26, 9)),
            "priority_method": "ranking",
        },
    )
    assert ok.status_code == 302
    settings = settings_for(ch_event)
    db.session.refresh(settings)
    assert settings.priority_method == "ranking"
    assert settings.opens_at.hour == 1  # 09:00 in Kuala Lumpur


def test_moderation_through_the_pages(
    client, login, organiser, ch_event, make_registration, make_input, token
):
    reg = make_registration(ch_event)
    item = make_input(ch_event, reg, title="Sort at source")
    twin = make_input(ch_event, reg, title="Sort at the source")
    login(organiser)
    base = f"/manage/events/{ch_event.slug}/challenges/inputs"
    assert "Sort at source" in client.get(f"{base}?state=submitted").get_data(
        as_text=True
    )
    client.post(f"{base}/{item.id}/publish")
    assert "Sort at source" in client.get(
        f"/events/{ch_event.slug}/challenges"
    ).get_data(as_text=True)
    client.post(f"{base}/{twin.id}/merge", data={"target_id": str(item.id)})
    db.session.refresh(twin)
    assert (twin.state, twin.merged_into_id) == ("merged", item.id)
    assert client.post(f"{base}/{item.id}/hide", data={"reason": ""}).status_code == 422
    client.post(f"{base}/{item.id}/hide", data={"reason": "Please add details"})
    db.session.refresh(item)
    assert (item.state, item.hidden_reason) == ("hidden", "Please add details")
    client.post(
        f"{base}/{item.id}/moderation",
        data={"tags": "food, pilot", "answer": "Thanks!", "selected_for_plan": "y"},
    )
    db.session.refresh(item)
    assert item.tags == ["food", "pilot"] and item.selected_for_plan
    # The author sees the reason on their own page.
    mine = client.get(
        f"/events/{ch_event.slug}/registration/{token(reg)}/inputs"
    ).get_data(as_text=True)
    assert "Please add details" in mine


def test_expert_invitation_journey(client, login, organiser, ch_event, outbox):
    login(organiser)
    url = f"/manage/events/{ch_event.slug}/challenges/experts"
    response = client.post(
        url, data={"email": "eva@example.eu", "name": "Eva Lindqvist", "message": "Hi"}
    )
    assert response.status_code == 302
    again = client.post(url, data={"email": "EVA@example.eu", "name": "Eva"})
    assert again.status_code == 422
    expert = db.session.scalar(select(Expert))
    mails = [m for m in outbox() if m.template == "expert_invitation"]
    assert len(mails) == 1 and mails[0].recipient == "eva@example.eu"
    link = f"/events/{ch_event.slug}/expert/{expert_token(expert)}"
    assert link in mails[0].body_text
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    page = client.get(link).get_data(as_text=True)
    assert "Accept the invitation" in page
    client.post(
        link,
        data={"name": "Dr. Eva Lindqvist", "organisation": "City of Gothenburg",
              "city": "Gothenburg", "country": "SE", "expertise": "Reuse"},
    )  # fmt: skip
    db.session.refresh(expert)
    assert expert.status == "accepted"
    response = client.post(
        f"{link}/inputs/new",
        data={"kind": "best_practice", "title": "Reuse boxes", "body": "Deposit.",
              "city": "Gothenburg", "country": "SE", "budget_range": "",
              "consent_named": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    login(organiser)
    client.post(f"{url}/{expert.id}/approve")
    db.session.refresh(expert)
    assert expert.status == "approved"
    assert all(i.is_expert for i in expert_inputs(expert))


def expert_inputs(expert):
    from consult.challenges.models import Input

    return list(db.session.scalars(select(Input).where(Input.expert_id == expert.id)))


def test_priorities_results_page_shows_the_chart(
    client, login, organiser, ch_event, make_registration
):
    a, b, c = (x.id for x in event_challenges(ch_event))
    from consult.timeutil import now_utc

    for type_key, values in (("government", {a: 10}), ("informal", {b: 5, c: 5})):
        reg = make_registration(ch_event, type_key=type_key)
        save_priorities(reg, values, now=now_utc())
    db.session.commit()
    login(organiser)
    html = client.get(f"/manage/events/{ch_event.slug}/challenges/priorities").get_data(
        as_text=True
    )
    assert "<svg" in html
    assert "Where the stakeholder types disagree most" in html
    assert "2 confirmed registrants have prioritised." in html


@pytest.fixture
def limited_app(database_url, tmp_path):
    """A second app with rate limits on; its connections close even on failure."""
    made = []

    def _make():
        db.session.remove()  # release this test's connection (SQLite write lock)
        app = make_app(
            database_url, tmp_path / "limited", RATELIMIT_ENABLED=True,
            INPUT_RATE_LIMIT="2 per minute",
        )  # fmt: skip
        made.append(app)
        return app

    yield _make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_submissions_are_rate_limited(limited_app, ch_event, make_registration, token):
    reg = make_registration(ch_event)
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/new"
    app = limited_app()
    client = app.test_client()
    form = {
        "kind": "solution_idea",
        "title": "Idea",
        "body": "Text",
        "budget_range": "",
        "country": "",
        "challenge_id": "",
    }
    codes = [client.post(url, data=form).status_code for _ in range(3)]
    assert codes[:2] == [302, 302] and codes[2] == 429, codes
    with app.app_context():
        from consult.challenges.models import Input

        stored = db.session.query(Input).count()
    assert stored == 2


def test_inputs_csv_is_safe_in_a_spreadsheet(
    client, login, organiser, other_organiser, ch_event, make_registration, make_input
):
    reg = make_registration(ch_event, full_name='=HYPERLINK("http://evil")')
    make_input(ch_event, reg, title="=1+1", body="<script>alert(1)</script>")
    url = f"/manage/events/{ch_event.slug}/challenges/inputs.csv"
    login(other_organiser)
    assert client.get(url).status_code == 403
    login(organiser)
    response = client.get(url)
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "'=1+1" in text and "'=HYPERLINK" in text
    assert ",=1+1" not in text
