"""/api/v1/events/<slug>/challenges and /inputs: organisers read every input
in every state; any other token holder what the public challenges page shows."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest

from consult.challenges.models import Expert, Input
from consult.challenges.services import (
    Author,
    ChallengeData,
    InputData,
    WindowData,
    add_challenge,
    event_challenges,
    hide_input,
    merge_input,
    publish_input,
    set_archived,
    submit_input,
    support_input,
    update_moderation,
    update_window,
)
from consult.extensions import db
from tests.api.conftest import bearer, make_token

CHALLENGES = (
    ("Food and organic waste", "food_organic"),
    ("Plastic pollution and packaging", "plastics_packaging"),
    ("Household e-waste", "e_waste"),
)


def url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.slug}{tail}"


@dataclass
class Consultation:
    event: object
    food: object
    plastics: object
    archived: object
    inputs: dict  # name -> Input


@pytest.fixture
def open_window(organiser, now):
    def _open(event):
        window = WindowData(now - timedelta(days=1), now + timedelta(days=10))
        update_window(event, organiser, window, now=now)
        db.session.commit()

    return _open


@pytest.fixture
def write(organiser, now):
    """write(event, author, state='submitted', **fields) -> Input."""

    def _write(event, author, state="submitted", **fields):
        values = {
            "kind": "problem_insight",
            "title": "No separate collection",
            "body": "Households mix food waste with the rest.",
        }
        values.update(fields)
        item = submit_input(event, author, InputData(**values), now=now)
        if state == "published":
            publish_input(item, organiser, now=now)
        elif state == "hidden":
            hide_input(item, organiser, "Names a neighbour", now=now)
        db.session.commit()
        return item

    return _write


def _expert(event, now) -> Expert:
    expert = Expert(
        event_id=event.id,
        email="lena.weber@example.de",
        name="Lena Weber",
        organisation="Circular Economy Club",
        status="approved",
        nonce=secrets.token_urlsafe(24),
        invited_at=now,
    )
    db.session.add(expert)
    db.session.commit()
    return expert


@pytest.fixture
def consultation(reg_event, organiser, make_registration, write, open_window, now):
    """Inputs in every state; an archived challenge with a published input."""
    for title, category in CHALLENGES:
        data = ChallengeData(title, f"About {title}.", category, "Petaling Jaya")
        add_challenge(reg_event, organiser, data, now=now)
    db.session.commit()
    open_window(reg_event)
    food, plastics, ewaste = event_challenges(reg_event)
    siti = make_registration(reg_event, "siti@example.my", full_name="Siti Aminah")
    ahmad = make_registration(
        reg_event, "ahmad@example.my", type_key="private", full_name="Ahmad Zaki"
    )
    expert = _expert(reg_event, now)
    mine, his = Author(registration=siti), Author(registration=ahmad)
    inputs = {
        "named": write(
            reg_event,
            mine,
            "published",
            challenge_id=food.id,
            consent_named=True,
            kind="best_practice",
            title="Food bank at the wet market",
            city="Petaling Jaya",
            country="MY",
            links="https://example.my/foodbank",
        ),
        "unnamed": write(reg_event, his, "published", challenge_id=plastics.id),
        "waiting": write(reg_event, his, challenge_id=food.id, title="Waiting one"),
        "hidden": write(reg_event, mine, "hidden", title="Hidden one"),
        "expert": write(
            reg_event,
            Author(expert=expert),
            "published",
            challenge_id=plastics.id,
            kind="solution_idea",
            title="Deposit return scheme",
        ),
        "archived": write(reg_event, his, "published", challenge_id=ewaste.id),
    }
    merged = write(reg_event, his, challenge_id=food.id, title="Same as the food bank")
    merge_input(merged, organiser, inputs["named"].id, now=now)
    inputs["merged"] = merged
    update_moderation(
        inputs["named"],
        organiser,
        tags="food",
        answer="Thank you.",
        selected_for_plan=False,
        now=now,
    )
    support_input(inputs["named"], ahmad, now=now)
    set_archived(ewaste, organiser, True, now=now)
    db.session.commit()
    return Consultation(reg_event, food, plastics, ewaste, inputs)


@pytest.fixture
def outsider(other_organiser, now):
    """A token of an organiser of other events, with every scope."""
    return make_token(other_organiser, now)


def ids(api, path, secret=None) -> list[int]:
    response = api("GET", path, secret=secret)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


# ---- challenges ---------------------------------------------------------


def test_organisers_read_every_challenge_others_the_active_ones(
    api, consultation, outsider
):
    c = consultation
    body = api("GET", url(c.event, "/challenges")).get_json()
    assert [item["title"] for item in body["items"]] == [t for t, _c in CHALLENGES]
    food = body["items"][0]
    assert food == {
        "id": c.food.id,
        "position": c.food.position,
        "title": "Food and organic waste",
        "description": "About Food and organic waste.",
        "category": "food_organic",
        "city": "Petaling Jaya",
        "lineage": c.food.id,
        "translations": {},
        "archived_at": None,
        "updated_at": c.food.updated_at.isoformat(),
    }
    assert body["items"][2]["archived_at"] == c.archived.archived_at.isoformat()
    public = ids(api, url(c.event, "/challenges"), outsider)
    assert public == [c.food.id, c.plastics.id]


def test_a_draft_events_challenges_and_inputs_are_404_to_others(
    api, make_reg_event, other_organiser, now
):
    draft = make_reg_event(publish=False, title="Draft")
    secret = make_token(other_organiser, now)
    for tail in ("/challenges", "/inputs", "/inputs/1"):
        response = api("GET", url(draft, tail), secret=secret)
        assert response.status_code == 404, tail
        assert response.mimetype == "application/problem+json"
    assert api("GET", url(draft, "/challenges")).status_code == 200


# ---- inputs: organisers -------------------------------------------------


def test_organisers_read_every_input_in_every_state(api, consultation):
    c = consultation
    everything = sorted(item.id for item in c.inputs.values())
    assert ids(api, url(c.event, "/inputs")) == everything
    body = api("GET", url(c.event, "/inputs")).get_json()
    shown = {item["id"]: item for item in body["items"]}
    named = shown[c.inputs["named"].id]
    assert named["state"] == "published" and named["kind"] == "best_practice"
    assert named["challenge"] == {"id": c.food.id, "title": "Food and organic waste"}
    assert named["author"] == {
        "group": "stakeholder_type",
        "stakeholder_type": named["author"]["stakeholder_type"],
        "name": "Siti Aminah",
        "organisation": None,
    }
    assert named["author"]["stakeholder_type"]["key"] == "government"
    assert (named["tags"], named["answer"], named["supports"]) == (
        ["food"],
        "Thank you.",
        1,
    )
    assert named["links"] == "https://example.my/foodbank"
    assert named["event_timezone"] == "Asia/Kuala_Lumpur"
    assert named["published_at"] == c.inputs["named"].published_at.isoformat()
    unnamed = shown[c.inputs["unnamed"].id]["author"]
    assert (unnamed["name"], unnamed["stakeholder_type"]["key"]) == (
        "Ahmad Zaki",
        "private",
    )
    hidden = shown[c.inputs["hidden"].id]
    assert (hidden["state"], hidden["hidden_reason"]) == ("hidden", "Names a neighbour")
    merged = shown[c.inputs["merged"].id]
    assert merged["merged_into"] == c.inputs["named"].id
    expert = shown[c.inputs["expert"].id]["author"]
    assert expert == {
        "group": "invited_expert",
        "stakeholder_type": None,
        "name": "Lena Weber",
        "organisation": "Circular Economy Club",
    }


def test_organisers_filter_by_state_challenge_and_kind(api, consultation):
    c, i = consultation, consultation.inputs

    def found(query):
        return ids(api, url(c.event, "/inputs" + query))

    assert found("?state=submitted") == [i["waiting"].id]
    assert found("?state=hidden") == [i["hidden"].id]
    assert found(f"?challenge={c.food.id}") == sorted(
        [i["named"].id, i["waiting"].id, i["merged"].id]
    )
    assert found("?challenge=general") == [i["hidden"].id]
    assert found(f"?challenge={c.archived.id}") == [i["archived"].id]
    assert found("?kind=solution_idea") == [i["expert"].id]
    assert found(f"?state=published&challenge={c.plastics.id}") == sorted(
        [i["unnamed"].id, i["expert"].id]
    )


def test_inputs_page_by_an_opaque_cursor(api, consultation):
    c = consultation
    everything = sorted(item.id for item in c.inputs.values())
    seen, cursor = [], None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = api("GET", url(c.event, "/inputs" + query)).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_one_input_and_another_events_input_is_404(
    api, consultation, make_reg_event, make_registration, write, open_window
):
    c = consultation
    waiting = c.inputs["waiting"]
    body = api("GET", url(c.event, f"/inputs/{waiting.id}")).get_json()
    assert (body["id"], body["state"], body["title"]) == (
        waiting.id,
        "submitted",
        "Waiting one",
    )
    elsewhere = make_reg_event(title="Second")
    open_window(elsewhere)
    theirs = write(elsewhere, Author(registration=make_registration(elsewhere)))
    assert api("GET", url(c.event, f"/inputs/{theirs.id}")).status_code == 404
    assert api("GET", url(c.event, "/inputs/999999")).status_code == 404


def test_inputs_etag_304_until_one_is_published(api, consultation, organiser, now):
    c = consultation
    etag = api("GET", url(c.event, "/inputs")).headers["ETag"]
    same = api("GET", url(c.event, "/inputs"), headers={"If-None-Match": etag})
    assert same.status_code == 304
    publish_input(c.inputs["waiting"], organiser, now=now)
    db.session.commit()
    again = api("GET", url(c.event, "/inputs"), headers={"If-None-Match": etag})
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=pending", "state"),
        ("?kind=poem", "kind"),
        ("?challenge=food", "challenge"),
        ("?challenge=999999", "challenge"),
        ("?cursor=!!!", "cursor"),
        ("?limit=201", "limit"),
    ],
)
def test_bad_input_filters_are_422(api, consultation, query, field):
    response = api("GET", url(consultation.event, "/inputs" + query))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


# ---- inputs: everyone else ----------------------------------------------


def test_others_read_the_published_inputs_of_active_challenges_only(
    api, consultation, outsider
):
    c, i = consultation, consultation.inputs
    public = [i["named"].id, i["unnamed"].id, i["expert"].id]
    assert ids(api, url(c.event, "/inputs"), outsider) == sorted(public)
    assert ids(api, url(c.event, "/inputs?state=submitted"), outsider) == []
    assert ids(api, url(c.event, "/inputs?challenge=general"), outsider) == []
    refused = api("GET", url(c.event, f"/inputs?challenge={c.archived.id}"), outsider)
    assert refused.status_code == 422  # a challenge the public page does not show
    for name in ("waiting", "hidden", "merged", "archived"):
        one = api("GET", url(c.event, f"/inputs/{i[name].id}"), outsider)
        assert one.status_code == 404, name
    one = api("GET", url(c.event, f"/inputs/{i['named'].id}"), outsider).get_json()
    assert one["answer"] == "Thank you." and one["supports"] == 1


def test_others_see_no_personal_data_the_public_page_does_not_show(
    api, consultation, outsider
):
    c, i = consultation, consultation.inputs
    body = api("GET", url(c.event, "/inputs"), outsider).get_json()
    shown = {item["id"]: item for item in body["items"]}
    # Named only with consent; a group too small to show alone is "other".
    assert shown[i["named"].id]["author"] == {
        "group": "other",
        "stakeholder_type": None,
        "name": "Siti Aminah",
        "organisation": None,
    }
    assert shown[i["unnamed"].id]["author"] == {
        "group": "other",
        "stakeholder_type": None,
        "name": None,
        "organisation": None,
    }
    assert shown[i["expert"].id]["author"]["group"] == "invited_expert"
    assert all(item["hidden_reason"] is None for item in body["items"])
    text = json.dumps(body)
    for secret in ("Ahmad Zaki", "ahmad@example.my", "siti@example.my", "Hidden one"):
        assert secret not in text
    # The public page says as much.
    page = api("GET", f"/events/{c.event.slug}/challenges").get_data(as_text=True)
    assert "Siti Aminah" in page and "Ahmad Zaki" not in page


def test_a_group_large_enough_is_named_to_others_as_on_the_public_page(
    api, reg_event, make_registration, write, open_window, outsider
):
    from consult.surveys.results.privacy import min_group_size

    open_window(reg_event)
    written = [
        write(reg_event, Author(registration=make_registration(reg_event)), "published")
        for _ in range(min_group_size())
    ]
    body = api("GET", url(reg_event, "/inputs"), outsider).get_json()
    groups = {item["author"]["group"] for item in body["items"]}
    kinds = {item["author"]["stakeholder_type"]["key"] for item in body["items"]}
    assert len(body["items"]) == len(written)
    assert (groups, kinds) == ({"stakeholder_type"}, {"government"})
    page = api("GET", f"/events/{reg_event.slug}/challenges").get_data(as_text=True)
    assert "Government &amp; public agencies" in page  # the filter offers it


# ---- who may ------------------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "tail"),
    [
        (["results:read", "registrations:read"], "/challenges"),
        (["events:read", "registrations:read"], "/inputs"),
        (["events:read"], "/inputs/1"),
    ],
)
def test_scopes_are_enforced(api, consultation, organiser, now, scopes, tail):
    secret = make_token(organiser, now, scopes=scopes)
    response = api("GET", url(consultation.event, tail), secret=secret)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_without_a_token_it_is_401(client, consultation):
    for tail in (
        "/challenges",
        "/inputs",
        f"/inputs/{consultation.inputs['named'].id}",
    ):
        response = client.get(url(consultation.event, tail))
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_co_organiser_and_an_admin_read_every_state(
    client, consultation, make_user, now
):
    from consult.events.services.organisers import add_co_organiser

    event = consultation.event
    colleague = make_user("colleague@example.org")
    add_co_organiser(event, event.owner, colleague.email, now=now)
    db.session.commit()
    admin = make_user("root@example.org", role="admin")
    waiting = consultation.inputs["waiting"].id
    for user in (colleague, admin):
        secret = make_token(user, now)
        response = client.get(url(event, f"/inputs/{waiting}"), headers=bearer(secret))
        assert response.status_code == 200
        assert response.get_json()["state"] == "submitted"


def test_nothing_is_written_by_reading(api, consultation, outsider):
    before = [
        (i.id, i.state, i.updated_at) for i in db.session.scalars(db.select(Input))
    ]
    for secret in (None, outsider):
        api("GET", url(consultation.event, "/inputs"), secret=secret)
        api("GET", url(consultation.event, "/challenges"), secret=secret)
    db.session.expire_all()
    after = [
        (i.id, i.state, i.updated_at) for i in db.session.scalars(db.select(Input))
    ]
    assert after == before
