"""Item 6's proof through the pages: a facilitator registers a person by phone
and records their priorities, an input and a survey answer; these count in the
results by stakeholder type. A facilitator opens only their own people and no
export. An anonymous survey filled by a facilitator stays unlinked.

Reads go through `committed()` (tests/effects.py): only what a route committed.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from consult.challenges.models import Input
from consult.challenges.services import event_challenges, priority_results
from consult.surveys.models import SurveyParticipation, SurveyResponse
from consult.surveys.results.aggregate import responses_by_group
from tests.effects import committed, committed_row
from tests.facilitators.conftest import full_answers

PERSON = {
    "channel": "phone",
    "full_name": "Siti Rahmah",
    "phone": "012 345 6789",
    "email": "",
    "country": "MY",
    "type_key": "informal",
    "timezone": "Asia/Kuala_Lumpur",
    "language": "en",
    "consent_privacy": "y",
}
IDEA = {
    "channel": "phone",
    "kind": "solution_idea",
    "title": "Collect food waste at the night market",
    "body": "A cart goes round the stalls at closing time.",
    "links": "",
}


def _register(client, event, **changes):
    response = client.post(
        f"/facilitate/{event.slug}/register", data={**PERSON, **changes}
    )
    assert response.status_code == 302
    from consult.registration.models import Registration

    return committed().scalar(
        select(Registration)
        .where(Registration.full_name == changes.get("full_name", PERSON["full_name"]))
        .order_by(Registration.id.desc())
    )


def test_a_person_reached_by_phone_takes_part_fully_and_counts(
    client, login, organiser, ch_event, make_facilitator, make_survey, stype
):
    event = ch_event
    user = make_facilitator(event)
    survey = make_survey(event, kinds=("likert", "short_text"))
    login(user)
    person = _register(client, event)
    assert (person.channel, person.facilitated_by_id) == ("phone", user.id)
    base = f"/facilitate/{event.slug}/people/{person.id}"
    people = client.get(f"/facilitate/{event.slug}/").get_data(True)
    assert f"{base}/" in people

    # Priorities.
    ids = [c.id for c in event_challenges(event)]
    points = {"channel": "phone", f"c-{ids[0]}": "6", f"c-{ids[2]}": "4"}
    assert client.post(f"{base}/priorities", data=points).status_code == 302

    # An input: the participant's rules, said next to the field.
    url = f"{base}/inputs/new"
    assert "Kind of input" in client.get(url).get_data(True)
    refused = client.post(url, data={**IDEA, "challenge_id": ids[1], "title": ""})
    assert refused.status_code == 422
    assert committed().scalar(select(Input.id)) is None
    no_channel = client.post(url, data={**IDEA, "challenge_id": ids[1], "channel": ""})
    assert no_channel.status_code == 422
    assert "Choose how you reached the person." in no_channel.get_data(True)
    assert client.post(url, data={**IDEA, "challenge_id": ids[1]}).status_code == 302
    item = committed().scalar(select(Input))
    assert (item.registration_id, item.state, item.challenge_id) == (
        person.id,
        "submitted",
        ids[1],
    )
    assert (item.facilitated_by_id, item.channel) == (user.id, "phone")
    assert item.facilitated_at is not None

    # A named survey's answers.
    url = f"{base}/surveys/{survey.id}"
    assert "Submit their answers" in client.get(url).get_data(True)
    empty = client.post(url, data={"channel": "phone"})
    assert empty.status_code == 422
    no_channel = client.post(url, data={"channel": "", **full_answers(survey)})
    assert no_channel.status_code == 422
    assert "Choose how you reached the person." in no_channel.get_data(True)
    assert 'value="Reuse"' in no_channel.get_data(True)  # the answers stay
    assert committed().scalar(select(SurveyResponse.id)) is None
    answered = client.post(url, data={"channel": "phone", **full_answers(survey)})
    assert answered.status_code == 302
    response = committed().scalar(select(SurveyResponse))
    assert (response.registration_id, response.status) == (person.id, "submitted")
    assert (response.facilitated_by_id, response.channel) == (user.id, "phone")
    again = client.post(url, data={"channel": "phone", **full_answers(survey)})
    assert again.status_code == 409
    assert (
        committed().scalar(
            select(SurveyResponse.id).where(SurveyResponse.id != response.id)
        )
        is None
    )

    # The person's page shows all three, with the channel.
    page = client.get(f"{base}/").get_data(True)
    assert "Collect food waste at the night market" in page
    assert page.count("By phone") >= 3
    assert "Submitted" in page

    # Counted like anyone's, by stakeholder type.
    informal = stype(event, "informal").id
    results = priority_results(event)
    by_type = next(r for r in results.by_type if r.type_id == informal)
    assert by_type.ballots == 1 and sorted(by_type.scores.values()) == [0, 4, 6]
    assert responses_by_group(survey) == {informal: 1}
    client.post("/auth/logout")
    login(organiser)
    dashboard = client.get(f"/manage/events/{event.slug}/dashboard").get_data(True)
    assert "1 registrant has prioritised the challenges." in dashboard
    moderation = client.get(f"/manage/events/{event.slug}/challenges/inputs").get_data(
        True
    )
    assert "Collect food waste at the night market" in moderation
    detail = client.get(
        f"/manage/events/{event.slug}/challenges/inputs/{item.id}"
    ).get_data(True)
    assert "Recorded for the author by Field Worker (By phone)" in detail

    # The organisers see who registered the person, and how.
    listing = client.get(f"/manage/events/{event.slug}/registrations").get_data(True)
    row = listing.split('<th scope="row">Siti Rahmah')[1].split("</tr>")[0]
    assert "Field Worker" in row and "By phone" in row
    export = client.get(f"/manage/events/{event.slug}/export/registrants.csv")
    rows = list(csv.DictReader(io.StringIO(export.get_data(True).lstrip("\ufeff"))))
    (siti,) = [r for r in rows if r["Name"] == "Siti Rahmah"]
    assert (siti["Registered by"], siti["Channel"]) == ("Field Worker", "phone")


def test_a_facilitator_reaches_only_their_own_people_and_no_export(
    client, login, ch_event, make_facilitator, make_survey, make_registration
):
    event = ch_event
    mine = make_facilitator(event)
    theirs = make_facilitator(event, "other@field.example.org", "Other Worker")
    survey = make_survey(event, kinds=("likert",))
    walk_in = make_registration(event)
    login(theirs)
    other = _register(client, event, full_name="Budi Santoso")
    client.post("/auth/logout")
    login(mine)
    own = _register(client, event)
    people = client.get(f"/facilitate/{event.slug}/").get_data(True)
    assert "Siti Rahmah" in people and "Budi Santoso" not in people
    for stranger in (other, walk_in):
        base = f"/facilitate/{event.slug}/people/{stranger.id}"
        for path in ("/", "/priorities", "/inputs/new", f"/surveys/{survey.id}"):
            assert client.get(base + path).status_code == 404
        posted = client.post(base + "/inputs/new", data={**IDEA})
        assert posted.status_code == 404
    assert committed().scalar(select(Input.id)) is None
    assert client.get(f"/facilitate/{event.slug}/people/{own.id}/").status_code == 200
    for path in (
        "/export/registrants.csv",
        "/export.xlsx",
        "/export/surveys.xlsx",
        f"/export/surveys/{survey.id}.csv",
        "/registrants",
        "/dashboard",
        "/report",
    ):
        assert client.get(f"/manage/events/{event.slug}{path}").status_code in (
            403,
            404,
        ), path


def test_an_anonymous_survey_answered_through_the_pages_stays_unlinked(
    client, login, organiser, ch_event, make_facilitator, make_survey
):
    event = ch_event
    user = make_facilitator(event)
    survey = make_survey(event, kinds=("likert", "short_text"), anonymous=True)
    login(user)
    people = [_register(client, event, full_name=f"Person {n}") for n in range(5)]
    for person in people:
        url = f"/facilitate/{event.slug}/people/{person.id}/surveys/{survey.id}"
        assert "anonymous" in client.get(url).get_data(True)
        answers = {"channel": "in_person", **full_answers(survey)}
        assert client.post(url, data=answers).status_code == 302
        # Answered: the form is not offered again.
        assert "already answered" in client.get(url).get_data(True)
    responses = committed().scalars(select(SurveyResponse)).all()
    assert len(responses) == 5
    assert {
        (r.registration_id, r.facilitated_by_id, r.channel, r.facilitated_at)
        for r in responses
    } == {(None, None, None, None)}
    participations = committed().scalars(select(SurveyParticipation)).all()
    assert {
        (p.registration_id, p.facilitated_by_id, p.channel) for p in participations
    } == {(p.id, user.id, "in_person") for p in people}
    client.post("/auth/logout")
    login(organiser)
    export = client.get(f"/manage/events/{event.slug}/export/surveys/{survey.id}.csv")
    assert export.status_code == 200
    text = export.get_data(True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 6  # a header and five unlinked responses
    for needle in [p.full_name for p in people] + [user.name, user.email, "person"]:
        assert needle.lower() not in text.lower()
    assert committed_row(SurveyResponse, responses[0].id).registration_id is None
