"""/api/v1/events/<slug>/surveys (results by stakeholder type) and
/api/v1/events/<slug>/results (the published results): the same figures as
the organiser's pages and the public results page, under the same
small-group rule, and no free text."""

from __future__ import annotations

import pytest

from consult.dashboard.services.publication import publish_results
from consult.dashboard.services.surveys import headline, survey_summaries
from consult.extensions import db
from consult.opendata.services import published_results
from consult.surveys.results import survey_results
from tests.api.conftest import bearer, make_token
from tests.dashboard.conftest import dash_event, types_of  # noqa: F401 (fixture)
from tests.surveys.results_fixtures import add_response, build_survey

GOV = "Government & public agencies"
SECRET_TEXT = "My neighbour Aminah burns her plastic"


def surveys_url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.slug}/surveys{tail}"


def _answer(kind_index: int) -> dict:
    return {
        "single_choice": kind_index % 2,
        "multiple_choice": [0, 2],
        "likert": 4,
        "rating": 9 if kind_index % 3 else 5,
        "number": 12,
        "short_text": SECRET_TEXT,
        "long_text": SECRET_TEXT + " every week.",
        "ranking": [1, 0, 3, 2],
        "likert_matrix": [4, 5, 3],
    }


@pytest.fixture
def named_survey(reg_event, make_registration, now):
    """A named survey answered by 3 government, 2 private, 1 research registrants."""
    survey = build_survey(reg_event, now=now)
    for i, key in enumerate(["government"] * 3 + ["private"] * 2 + ["research"]):
        person = make_registration(reg_event, type_key=key)
        add_response(
            survey,
            _answer(i),
            type_id=person.stakeholder_type_id,
            registration=person,
            now=now,
        )
    make_registration(reg_event, type_key="civil_society")  # has not answered
    db.session.commit()
    return survey


def _anonymous(event, now, counts: dict[str, int]):
    survey = build_survey(event, anonymous=True, now=now)
    types = types_of(event)
    i = 0
    for key, n in counts.items():
        for _ in range(n):
            add_response(survey, _answer(i), type_id=types[key].id, now=now)
            i += 1
    db.session.commit()
    return survey


def test_the_list_gives_each_survey_with_its_responses(
    api, reg_event, named_survey, now
):
    hidden = _anonymous(reg_event, now, {"government": 3})
    response = api("GET", surveys_url(reg_event))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["min_group_size"] == 5
    items = {item["id"]: item for item in body["items"]}
    named = items[named_survey.id]
    assert (named["title"], named["kind"], named["status"]) == (
        "After the webinar", "post_event", "open",
    )  # fmt: skip
    assert named["responses"] == 6 and not named["anonymous"]
    # 6 of the 7 confirmed registrants answered, as the dashboard says.
    assert named["response_rate"] == {"audience": 7, "responded": 6, "percent": 86}
    assert named["results_hidden"] is False
    assert named["opens_at"] == named_survey.opens_at.isoformat()
    assert named["event_timezone"] == "Asia/Kuala_Lumpur"
    assert items[hidden.id]["anonymous"] and items[hidden.id]["results_hidden"]
    assert items[hidden.id]["responses"] == 3
    dashboard = survey_summaries(reg_event)
    assert [item["id"] for item in body["items"]] == [s.survey.id for s in dashboard]


def test_named_results_match_the_results_page_per_type(api, reg_event, named_survey):
    response = api("GET", surveys_url(reg_event, f"/{named_survey.id}/results"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    page = survey_results(named_survey)  # what the results page shows
    assert body["survey"]["id"] == named_survey.id
    assert [q["id"] for q in body["questions"]] == [
        q.question.id for q in page.questions
    ]
    questions = {q["kind"]: q for q in body["questions"]}
    expected = {q.kind: q for q in page.questions}

    single = questions["single_choice"]
    assert single["n"] == 6 and not single["hidden"]
    assert [(o["label"], o["count"], o["percent"]) for o in single["overall"]["options"]] == [
        (row.label or "Other", row.count, float(row.percent))
        for row in expected["single_choice"].overall.rows
    ]  # fmt: skip
    assert single["headline"] == headline(expected["single_choice"]).text
    groups = {g["label"]: g for g in single["groups"]}
    # The organiser's own pages show small groups of a named survey, marked.
    assert groups[GOV]["n"] == 3 and groups["Private sector"]["n"] == 2
    assert groups["Research & academia"]["n"] == 1
    assert not any(g["hidden"] for g in single["groups"])
    assert groups[GOV]["stakeholder_type"]["key"] == "government"
    government = next(
        g for g in expected["single_choice"].groups if g.group.label == GOV
    )
    assert [o["count"] for o in groups[GOV]["stats"]["options"]] == [
        row.count for row in government.stats.rows
    ]

    rating = questions["rating"]["overall"]
    assert rating["mean"] == expected["rating"].overall.mean
    assert rating["nps"]["promoters"] == expected["rating"].overall.nps.promoters
    assert rating["nps"]["score"] == int(expected["rating"].overall.nps.shown)
    assert {p["value"] for p in rating["distribution"]} == set(range(11))
    ranking = questions["ranking"]["overall"]["ranked"]
    assert [i["label"] for i in ranking] == [
        i.label for i in expected["ranking"].overall.items
    ]
    matrix = questions["likert_matrix"]["overall"]["statements"]
    assert [s["mean"] for s in matrix] == [4.0, 5.0, 3.0]
    # Text questions: how many answered, never what.
    assert questions["long_text"]["overall"] == {"n": 6}
    assert SECRET_TEXT not in response.get_data(as_text=True)
    rates = {r["stakeholder_type"]["key"]: r for r in body["rates"]}
    assert rates["government"] == {
        "stakeholder_type": rates["government"]["stakeholder_type"],
        "audience": 3, "responded": 3, "percent": 100,
    }  # fmt: skip
    assert rates["civil_society"]["responded"] == 0


def test_anonymous_results_hide_small_groups_as_the_page_does(api, reg_event, now):
    # Research (2) is too small; with it alone the total would give it away,
    # so the smallest shown group (private, 5) is held back too.
    survey = _anonymous(reg_event, now, {"government": 6, "private": 5, "research": 2})
    body = api("GET", surveys_url(reg_event, f"/{survey.id}/results")).get_json()
    page = survey_results(survey)
    single = next(q for q in body["questions"] if q["kind"] == "single_choice")
    expected = next(q for q in page.questions if q.kind == "single_choice")
    assert sorted(expected.hidden_labels) == ["Private sector", "Research & academia"]
    groups = {g["label"]: g for g in single["groups"]}
    for label in expected.hidden_labels:
        assert groups[label] == {
            "stakeholder_type": groups[label]["stakeholder_type"],
            "label": label, "hidden": True, "n": None, "stats": None,
        }  # fmt: skip
    assert groups[GOV]["n"] == 6 and not groups[GOV]["hidden"]
    assert single["n"] == 13 and single["overall"]["options"]
    assert SECRET_TEXT not in str(body)


def test_an_anonymous_survey_below_the_threshold_shows_nothing(api, reg_event, now):
    survey = _anonymous(reg_event, now, {"government": 4})
    body = api("GET", surveys_url(reg_event, f"/{survey.id}/results")).get_json()
    assert body["survey"]["results_hidden"] is True
    assert body["survey"]["responses"] == 4
    assert body["questions"] == []


def test_surveys_of_an_event_you_do_not_manage_are_404(
    api, client, make_reg_event, other_organiser, admin, reg_event, named_survey, now
):
    theirs = make_reg_event(owner=other_organiser, title="Not yours")
    their_survey = build_survey(theirs, now=now)
    for path in (
        surveys_url(theirs),
        surveys_url(theirs, f"/{their_survey.id}/results"),
        surveys_url(reg_event, f"/{their_survey.id}/results"),
        "/api/v1/events/no-such-event/surveys",
    ):
        response = api("GET", path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
    # An admin manages every event.
    secret = make_token(admin, now, scopes=["results:read"])
    path = surveys_url(reg_event, f"/{named_survey.id}/results")
    assert client.get(path, headers=bearer(secret)).status_code == 200


def test_survey_results_need_the_results_scope(
    client, organiser, reg_event, named_survey, now
):
    secret = make_token(organiser, now, scopes=["events:read", "webhooks:manage"])
    for path in (
        surveys_url(reg_event),
        surveys_url(reg_event, f"/{named_survey.id}/results"),
        f"/api/v1/events/{reg_event.slug}/results",
        f"/api/v1/events/{reg_event.slug}/dashboard",
    ):
        assert client.get(path, headers=bearer(secret)).status_code == 403, path
        assert client.get(path).status_code == 401, path


def test_survey_results_etag(api, reg_event, named_survey, make_registration, now):
    path = surveys_url(reg_event, f"/{named_survey.id}/results")
    etag = api("GET", path).headers["ETag"]
    assert api("GET", path, headers={"If-None-Match": etag}).status_code == 304
    person = make_registration(reg_event, type_key="informal")
    add_response(
        named_survey, _answer(0), type_id=person.stakeholder_type_id,
        registration=person, now=now,
    )  # fmt: skip
    db.session.commit()
    assert api("GET", path, headers={"If-None-Match": etag}).status_code == 200


# ---- published results ---------------------------------------------------


def results_url(event) -> str:
    return f"/api/v1/events/{event.slug}/results"


def test_published_results_are_404_until_published_then_the_open_data(
    api,
    client,
    dash_event,  # noqa: F811 (the fixture imported above)
    organiser,
    other_organiser,
    now,  # noqa: F811
):
    assert api("GET", results_url(dash_event)).status_code == 404
    publish_results(dash_event, organiser, note="Next: **pilots**", now=now)
    db.session.commit()
    response = api("GET", results_url(dash_event))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body.pop("event_timezone") == "Asia/Kuala_Lumpur"
    assert body == published_results(dash_event)
    assert body == client.get(f"/events/{dash_event.slug}/results.json").get_json()
    assert body["participants"] == 12 and body["version"] == 1
    # Small groups combined, as on the public page; nobody's address.
    assert all(t["participants"] >= 5 for t in body["stakeholder_types"])
    assert "@" not in response.get_data(as_text=True)
    # Any token holder may read what the public page shows.
    theirs = make_token(other_organiser, now, scopes=["results:read"])
    other = client.get(results_url(dash_event), headers=bearer(theirs))
    assert other.status_code == 200 and other.get_json()["version"] == 1


def test_published_results_of_a_draft_or_missing_event_are_404(
    api, client, make_reg_event, other_organiser, now
):
    draft = make_reg_event(owner=other_organiser, publish=False, title="Draft")
    assert api("GET", results_url(draft)).status_code == 404
    assert api("GET", "/api/v1/events/no-such-event/results").status_code == 404


def test_a_nul_character_is_refused_rather_than_sent_to_the_database(api, reg_event):
    """PostgreSQL cannot compare text with a NUL: a query or path value with
    one is refused before any query (422 on the field, 404 for a path)."""
    listed = api("GET", "/api/v1/events?programme=%00")
    assert listed.status_code == 422
    assert listed.get_json()["errors"] == {
        "programme": ["Please remove the invisible control characters."]
    }
    filtered = api("GET", f"/api/v1/events/{reg_event.slug}/registrations?status=a%00")
    assert filtered.status_code == 422 and "status" in filtered.get_json()["errors"]
    body = api(
        "POST",
        f"/api/v1/events/{reg_event.slug}/webhooks",
        json={"url": "https://93.184.216.34/\x00", "kinds": ["results.published"]},
    )
    assert body.status_code == 422 and "url" in body.get_json()["errors"]
    for path in ("/api/v1/events/%00", "/api/v1/events/a%00b/dashboard"):
        response = api("GET", path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
