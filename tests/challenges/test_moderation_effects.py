"""Organiser moderation pages change the committed data (issue 15, item 4).

Each test reads through `committed()` (tests/effects.py): a route that flushed
its change but never committed (the service returned None and the route took
that for a refusal) must fail here, although the same session still shows the
change.
"""

from __future__ import annotations

from consult.challenges.models import Challenge, Input
from consult.challenges.services import event_challenges
from tests.effects import committed, committed_row


def _inputs(event):
    return f"/manage/events/{event.slug}/challenges/inputs"


def test_hiding_an_input_is_committed(
    client, login, organiser, ch_event, make_registration, make_input
):
    item = make_input(ch_event, make_registration(ch_event), state="published")
    login(organiser)
    response = client.post(
        f"{_inputs(ch_event)}/{item.id}/hide", data={"reason": "Abusive language"}
    )
    assert response.status_code == 302
    hidden = committed_row(Input, item.id)
    assert (hidden.state, hidden.hidden_reason) == ("hidden", "Abusive language")
    assert hidden.moderated_by_id == organiser.id
    # Gone from the public page.
    page = client.get(f"/events/{ch_event.slug}/challenges").get_data(as_text=True)
    assert item.title not in page


def test_merging_an_input_is_committed(
    client, login, organiser, ch_event, make_registration, make_input
):
    reg = make_registration(ch_event)
    target = make_input(ch_event, reg, title="Sort at source", state="published")
    twin = make_input(ch_event, reg, title="Sort at the source")
    login(organiser)
    response = client.post(
        f"{_inputs(ch_event)}/{twin.id}/merge", data={"target_id": str(target.id)}
    )
    assert response.status_code == 302
    merged = committed_row(Input, twin.id)
    assert (merged.state, merged.merged_into_id) == ("merged", target.id)


def test_moderation_fields_are_committed(
    client, login, organiser, ch_event, make_registration, make_input
):
    item = make_input(ch_event, make_registration(ch_event), state="published")
    login(organiser)
    response = client.post(
        f"{_inputs(ch_event)}/{item.id}/moderation",
        data={"tags": "Food, pilot", "answer": "Thank you!", "selected_for_plan": "y"},
    )
    assert response.status_code == 302
    saved = committed_row(Input, item.id)
    assert saved.tags == ["food", "pilot"]
    assert saved.answer == "Thank you!" and saved.answered_at is not None
    assert saved.selected_for_plan is True


def test_editing_a_challenge_is_committed(client, login, organiser, ch_event):
    challenge = event_challenges(ch_event)[0]
    login(organiser)
    response = client.post(
        f"/manage/events/{ch_event.slug}/challenges/{challenge.id}/edit",
        data={
            "title": "Food waste from markets",
            "category": "food_organic",
            "city": "Petaling Jaya",
            "description": "Wet markets throw away **tonnes** a day.",
        },
    )
    assert response.status_code == 302
    saved = committed_row(Challenge, challenge.id)
    assert saved.title == "Food waste from markets"
    assert "tonnes" in saved.description


def test_a_refused_moderation_shows_why_and_changes_nothing(
    client, login, organiser, ch_event, make_registration, make_input
):
    item = make_input(ch_event, make_registration(ch_event), state="published")
    login(organiser)
    too_many = ", ".join(f"tag{n}" for n in range(11))
    response = client.post(
        f"{_inputs(ch_event)}/{item.id}/moderation",
        data={"tags": too_many, "answer": "Thanks", "selected_for_plan": "y"},
    )
    assert response.status_code == 422
    assert "At most 10 tags" in response.get_data(as_text=True)
    saved = committed().get(Input, item.id)
    assert (saved.tags or [], saved.answer, saved.selected_for_plan) == ([], "", False)
