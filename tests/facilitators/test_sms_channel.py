"""'By SMS' as a facilitator's channel (issue 20, item 1: in person, phone,
paper, SMS): the person answered by text messages and the facilitator records
their priorities, an input and their survey answers with that channel."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.challenges.models import Input, Priority
from consult.challenges.services import event_challenges
from consult.errors import ValidationFailed
from consult.facilitators.services import check_channel
from consult.surveys.models import SurveyResponse
from tests.content_pages import choose
from tests.effects import committed
from tests.facilitators.conftest import full_answers
from tests.facilitators.test_on_behalf_pages import IDEA, _register
from tests.visitors import fresh_locale


def test_sms_is_a_channel_and_others_are_refused():
    assert check_channel("sms") == "sms"
    for refused in ("email", "", None):
        with pytest.raises(ValidationFailed) as error:
            check_channel(refused)
        assert error.value.field == "channel"


def test_a_facilitator_records_by_sms_and_the_channel_is_stored_and_shown(
    client, login, ch_event, make_facilitator, make_survey
):
    event = ch_event
    user = make_facilitator(event)
    survey = make_survey(event, kinds=("likert", "short_text"))
    login(user)
    person = _register(client, event)
    base = f"/facilitate/{event.slug}/people/{person.id}"
    assert '<option value="sms">By SMS</option>' in client.get(
        f"{base}/priorities"
    ).get_data(True)

    ids = [c.id for c in event_challenges(event)]
    points = {"channel": "sms", f"c-{ids[0]}": "6", f"c-{ids[2]}": "4"}
    assert client.post(f"{base}/priorities", data=points).status_code == 302
    assert {p.channel for p in committed().scalars(select(Priority))} == {"sms"}

    url = f"{base}/inputs/new"
    data = {**IDEA, "challenge_id": ids[1], "channel": "sms"}
    assert client.post(url, data=data).status_code == 302
    item = committed().scalar(select(Input))
    assert (item.facilitated_by_id, item.channel) == (user.id, "sms")

    url = f"{base}/surveys/{survey.id}"
    answered = client.post(url, data={"channel": "sms", **full_answers(survey)})
    assert answered.status_code == 302
    response = committed().scalar(select(SurveyResponse))
    assert (response.facilitated_by_id, response.channel) == (user.id, "sms")

    # The person's page names the channel of all three, translated.
    assert client.get(f"{base}/").get_data(True).count("By SMS") >= 3
    fresh_locale(client)
    choose(client, "ms")
    assert "Melalui SMS" in client.get(f"{base}/").get_data(True)
