"""Inputs: kinds, window enforcement, author-only editing, experts, library sync."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.challenges.services import (
    Author,
    InputData,
    decide_expert,
    event_challenges,
    own_input,
    publish_input,
    submit_input,
    update_input,
)
from consult.errors import NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.library.models import LibraryEntry

BEST_PRACTICE = dict(
    kind="best_practice",
    title="Reusable takeaway boxes",
    body="A shared deposit system for boxes.",
    city="Gothenburg",
    country="se",
    organisation="City of Gothenburg",
    period="2021-2024",
    results="100 restaurants",
    links="https://example.org/boxes\n\n https://example.org/more ",
)


def test_best_practice_keeps_its_fields(ch_event, make_registration, author, now):
    reg = make_registration(ch_event)
    item = submit_input(ch_event, author(reg), InputData(**BEST_PRACTICE), now=now)
    assert item.state == "submitted"
    assert item.country == "SE"
    assert item.links == "https://example.org/boxes\nhttps://example.org/more"
    assert item.registration_id == reg.id and not item.is_expert


def test_fields_of_other_kinds_are_dropped(ch_event, make_registration, author, now):
    reg = make_registration(ch_event)
    data = InputData(**{**BEST_PRACTICE, "kind": "problem_insight", "lead": "Me"})
    item = submit_input(ch_event, author(reg), data, now=now)
    assert (item.city, item.country, item.results, item.links, item.lead) == (
        "",
        "",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"title": ""}, "title"),
        ({"body": "x" * 5001}, "body"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"country": "XX"}, "country"),
        ({"city": ""}, "city"),
        ({"category": "nonsense"}, "category"),
    ],
)
def test_invalid_inputs_are_refused(
    ch_event, make_registration, author, now, changes, field
):
    reg = make_registration(ch_event)
    with pytest.raises(ValidationFailed) as err:
        submit_input(
            ch_event, author(reg), InputData(**{**BEST_PRACTICE, **changes}), now=now
        )
    assert err.value.field == field


def test_pilot_needs_a_lead_and_a_known_budget(
    ch_event, make_registration, author, now
):
    reg = make_registration(ch_event)
    base = dict(kind="pilot_proposal", title="Pilot", body="A pilot.")
    with pytest.raises(ValidationFailed) as err:
        submit_input(ch_event, author(reg), InputData(**base), now=now)
    assert err.value.field == "lead"
    with pytest.raises(ValidationFailed) as err:
        submit_input(
            ch_event,
            author(reg),
            InputData(**base, lead="UPM", budget_range="a lot"),
            now=now,
        )
    assert err.value.field == "budget_range"
    item = submit_input(
        ch_event,
        author(reg),
        InputData(**base, lead="UPM", budget_range="10k_50k", timeline="6 months"),
        now=now,
    )
    assert item.budget_range == "10k_50k"


def test_challenge_must_belong_to_the_event_and_be_active(
    ch_event, make_reg_event, make_registration, author, organiser, now
):
    from consult.challenges.services import ChallengeData, add_challenge, set_archived

    other = make_reg_event(title="Another event")
    foreign = add_challenge(
        other, organiser, ChallengeData("Water", "", "water"), now=now
    )
    reg = make_registration(ch_event)
    data = dict(kind="solution_idea", title="Idea", body="Text")
    with pytest.raises(ValidationFailed):
        submit_input(
            ch_event, author(reg), InputData(**data, challenge_id=foreign.id), now=now
        )
    archived = event_challenges(ch_event)[0]
    set_archived(archived, organiser, True, now=now)
    with pytest.raises(ValidationFailed):
        submit_input(
            ch_event, author(reg), InputData(**data, challenge_id=archived.id), now=now
        )


def test_submissions_only_while_the_window_is_open(
    ch_event, make_registration, author, now, open_window
):
    reg = make_registration(ch_event)
    data = InputData(kind="solution_idea", title="Idea", body="Text")
    open_window(
        ch_event, opens=now + timedelta(hours=1), closes=now + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        submit_input(ch_event, author(reg), data, now=now)
    item = submit_input(ch_event, author(reg), data, now=now + timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        submit_input(ch_event, author(reg), data, now=now + timedelta(days=1))
    # Editing too ends when the window closes.
    edit = InputData(kind="solution_idea", title="Better idea", body="Text")
    with pytest.raises(PermissionDenied):
        update_input(item, author(reg), edit, now=now + timedelta(days=2))
    db.session.refresh(item)
    assert item.title == "Idea"


def test_cancelled_or_foreign_registrations_cannot_submit(
    ch_event, make_reg_event, make_registration, author, now
):
    data = InputData(kind="solution_idea", title="Idea", body="Text")
    cancelled = make_registration(ch_event, status="cancelled")
    with pytest.raises(PermissionDenied):
        submit_input(ch_event, author(cancelled), data, now=now)
    other_event = make_reg_event(title="Other")
    foreigner = make_registration(other_event)
    with pytest.raises(PermissionDenied):
        submit_input(ch_event, author(foreigner), data, now=now)


def test_only_the_author_edits_and_an_edit_returns_to_moderation(
    ch_event, make_registration, author, make_input, organiser, now
):
    alice, bob = make_registration(ch_event), make_registration(ch_event)
    item = make_input(ch_event, alice, state="published")
    edit = InputData(kind="problem_insight", title="Changed by Bob", body="Spam")
    with pytest.raises(PermissionDenied):
        update_input(item, author(bob), edit, now=now)
    with pytest.raises(NotFound):
        own_input(author(bob), item.id)
    assert own_input(author(alice), item.id) is item
    update_input(
        item,
        author(alice),
        InputData(kind="problem_insight", title="Clearer title", body=item.body),
        now=now,
    )
    assert (item.title, item.state) == ("Clearer title", "submitted")


def test_approved_experts_inputs_are_marked(ch_event, make_expert, organiser, now):
    pending = make_expert(ch_event, status="accepted")
    item = submit_input(
        ch_event,
        Author(expert=pending),
        InputData(kind="expert_question", title="Q", body="Why?"),
        now=now,
    )
    assert not item.is_expert
    decide_expert(pending, organiser, True, now=now)
    db.session.refresh(item)
    assert item.is_expert
    invited = make_expert(ch_event, status="invited")
    with pytest.raises(PermissionDenied):
        submit_input(
            ch_event,
            Author(expert=invited),
            InputData(kind="expert_question", title="Q", body="Why?"),
            now=now,
        )


def test_author_is_named_only_with_consent(ch_event, make_registration, make_input):
    reg = make_registration(ch_event, full_name="Siti Aminah", organisation="PJ Co-op")
    anonymous = make_input(ch_event, reg)
    named = make_input(ch_event, reg, consent_named=True)
    assert anonymous.public_author_name is None
    assert anonymous.public_author_organisation is None
    assert (named.public_author_name, named.public_author_organisation) == (
        "Siti Aminah",
        "PJ Co-op",
    )


def test_published_best_practice_enters_the_library_and_leaves_it(
    ch_event, make_registration, make_input, author, organiser, now
):
    reg = make_registration(ch_event)
    item = make_input(ch_event, reg, **BEST_PRACTICE)

    def entry():
        return db.session.scalar(
            select(LibraryEntry).where(LibraryEntry.input_id == item.id)
        )

    assert entry() is None
    publish_input(item, organiser, now=now)
    assert entry() is not None and entry().title == "Reusable takeaway boxes"
    update_input(
        item, author(reg), InputData(**{**BEST_PRACTICE, "title": "Boxes"}), now=now
    )
    assert entry() is None  # back in moderation: out of the library


def test_an_input_keeps_its_archived_challenge_when_edited(
    client, ch_event, make_registration, make_input, organiser, token, now
):
    from consult.challenges.services import set_archived

    reg = make_registration(ch_event)
    challenge = event_challenges(ch_event)[0]
    item = make_input(ch_event, reg, challenge_id=challenge.id)
    set_archived(challenge, organiser, True, now=now)
    db.session.commit()
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/{item.id}/edit"
    form = {
        "kind": "problem_insight", "challenge_id": str(challenge.id),
        "title": "Still about food", "body": item.body, "country": "",
        "budget_range": "", "category": "",
    }  # fmt: skip
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(item)
    assert (item.title, item.challenge_id) == ("Still about food", challenge.id)


def test_personal_contributions_for_the_data_export(
    ch_event, make_registration, make_input, now
):
    import json

    from consult.challenges.services import (
        personal_contributions,
        save_priorities,
        support_input,
    )

    reg, other = make_registration(ch_event), make_registration(ch_event)
    mine = make_input(ch_event, reg, state="hidden", title="Mine")
    theirs = make_input(ch_event, other, state="published", title="Theirs")
    support_input(theirs, reg, now=now)
    a, b, c = event_challenges(ch_event)
    save_priorities(reg, {a.id: 10}, now=now)
    data = personal_contributions(reg)
    json.dumps(data)  # serialisable as it is
    assert [i["title"] for i in data["inputs"]] == ["Mine"]
    assert data["inputs"][0]["hidden_reason"] == "Off topic"
    assert data["supported_inputs"] == [theirs.id]
    assert [p["points"] for p in data["priorities"]] == [10, 0, 0]
    assert mine.id != theirs.id
