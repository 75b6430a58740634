"""Challenge pages other than moderation commit what they change.

The organiser's challenge list and window, publishing, experts, and the
authors' pages (inputs, supports, priorities, the expert's profile). Reads go
through `committed()` (tests/effects.py), as in test_moderation_effects.py.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.challenges.models import (
    Challenge,
    Expert,
    Input,
    InputSupport,
    Priority,
)
from consult.challenges.services import event_challenges, expert_token, settings_for
from consult.notifications.models import OutboundEmail
from tests.clock import field, wall
from tests.effects import committed, committed_row

INPUT = {
    "kind": "solution_idea",
    "title": "Compost hubs",
    "body": "One per neighbourhood.",
    "links": "",
    "budget_range": "",
    "country": "",
}


def test_challenge_list_and_window_are_committed(client, login, organiser, ch_event):
    login(organiser)
    base = f"/manage/events/{ch_event.slug}/challenges"
    added = client.post(
        base,
        data={"title": "Water reuse", "category": "water", "city": "PJ"},
    )
    assert added.status_code == 302
    water = committed().scalar(
        select(Challenge).where(Challenge.title == "Water reuse")
    )
    assert water.position == 3

    assert client.post(f"{base}/{water.id}/up").status_code == 302
    assert committed_row(Challenge, water.id).position == 2
    assert client.post(f"{base}/{water.id}/archive").status_code == 302
    assert committed_row(Challenge, water.id).archived_at is not None
    assert client.post(f"{base}/{water.id}/remove").status_code == 302
    assert committed_row(Challenge, water.id) is None

    window = client.post(
        f"{base}/window",
        data={
            "opens_at": field(wall(-2, 9)),
            "closes_at": field(wall(30, 9)),
            "priority_method": "ranking",
        },
    )
    assert window.status_code == 302
    committed()
    assert settings_for(ch_event).priority_method == "ranking"


def test_publishing_and_expert_decisions_are_committed(
    client, login, organiser, ch_event, make_registration, make_input, make_expert
):
    item = make_input(ch_event, make_registration(ch_event))
    pending = make_expert(ch_event, status="accepted")
    login(organiser)
    base = f"/manage/events/{ch_event.slug}/challenges"
    assert client.post(f"{base}/inputs/{item.id}/publish").status_code == 302
    assert committed_row(Input, item.id).state == "published"

    invited = client.post(
        f"{base}/experts", data={"email": "eva@example.eu", "name": "Eva Lindqvist"}
    )
    assert invited.status_code == 302
    eva = committed().scalar(select(Expert).where(Expert.email == "eva@example.eu"))
    assert eva is not None
    invitation = select(OutboundEmail).where(
        OutboundEmail.recipient == "eva@example.eu"
    )
    assert [m.template for m in committed().scalars(invitation)] == [
        "expert_invitation"
    ]

    decided = client.post(f"{base}/experts/{pending.id}/approve")
    assert decided.status_code == 302
    assert committed_row(Expert, pending.id).status == "approved"


def test_authors_inputs_supports_and_priorities_are_committed(
    client, ch_event, make_registration, make_input, token
):
    reg = make_registration(ch_event)
    a, b, c = (x.id for x in event_challenges(ch_event))
    base = f"/events/{ch_event.slug}/registration/{token(reg)}"
    form = {**INPUT, "challenge_id": str(a)}
    assert client.post(f"{base}/inputs/new", data=form).status_code == 302
    mine = committed().scalar(select(Input).where(Input.registration_id == reg.id))
    assert (mine.title, mine.state) == ("Compost hubs", "submitted")

    edited = client.post(
        f"{base}/inputs/{mine.id}/edit", data={**form, "title": "Compost hubs in PJ"}
    )
    assert edited.status_code == 302
    assert committed_row(Input, mine.id).title == "Compost hubs in PJ"

    other = make_input(ch_event, make_registration(ch_event), state="published")
    assert client.post(f"{base}/inputs/{other.id}/support").status_code == 302
    supports = select(func.count(InputSupport.id)).where(
        InputSupport.input_id == other.id
    )
    assert committed().scalar(supports) == 1

    points = {f"c-{a}": "6", f"c-{b}": "4"}
    assert client.post(f"{base}/priorities", data=points).status_code == 302
    stored = (
        committed()
        .scalars(select(Priority).where(Priority.registration_id == reg.id))
        .all()
    )
    assert {p.challenge_id: p.points for p in stored if p.points} == {a: 6, b: 4}


def test_expert_profile_is_committed(client, ch_event, make_expert):
    expert = make_expert(ch_event, status="invited")
    link = f"/events/{ch_event.slug}/expert/{expert_token(expert)}"
    response = client.post(
        link,
        data={"name": "Dr. Eva Lindqvist", "organisation": "City of Gothenburg",
              "city": "Gothenburg", "country": "SE", "expertise": "Reuse"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = committed_row(Expert, expert.id)
    assert (saved.status, saved.name) == ("accepted", "Dr. Eva Lindqvist")
