"""Journey from pages only (issue 19, 4): an empty database and an organiser.

The organiser creates an event, a challenge and a public survey through the
pages, sees on the challenge and survey pages how many texts lack Malay, ticks
Bahasa Melayu on the Languages page, saves the Malay texts through its form,
and a visitor reading Malay sees them; the stored rows hold them.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.events.models import Event
from consult.surveys.models import Survey
from tests.clock import field, wall
from tests.content_pages import MARKER, choose, fresh_locale
from tests.effects import committed
from tests.events.test_manage_pages import FORM as EVENT_FORM

SLUG = "circular-design-clinic"
MALAY = {
    "event-title": "Klinik Reka Bentuk Kitaran",
    "challenge-title": "Sisa makanan dan organik",
    "survey-title": "Sebelum kita bertemu",
    "surveyq-text": "Apa yang paling penting?",
}
OPTIONS_MS = ["Sisa makanan", "Plastik"]


def _create_everything(client) -> None:
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    base = f"/manage/events/{SLUG}"
    assert client.post(f"{base}/publish").status_code == 302
    added = client.post(
        f"{base}/challenges",
        data={
            "title": "Food and organic waste",
            "category": "food_organic",
            "city": "Petaling Jaya",
            "description": "Households mix *food waste* with the rest.",
        },
    )
    assert added.status_code == 302
    created = client.post(
        f"{base}/surveys/new",
        data={
            "title": "Before we meet",
            "introduction": "Tell us what you expect.",
            "kind": "pre_event",
            "audience": "public",
            "opens": field(wall(-1, 9)),
            "closes": field(wall(20, 18)),
            "reminder_after_days": "",
        },
    )
    assert created.status_code == 302
    survey = committed().scalar(select(Survey))
    question = client.post(
        f"{base}/surveys/{survey.id}/questions/new",
        data={
            "kind": "single_choice",
            "text": "What matters most?",
            "required": "y",
            "new_options": "Food waste\nPlastics\n",
            "scale_labels-0": "a", "scale_labels-1": "b", "scale_labels-2": "c",
            "scale_labels-3": "d", "scale_labels-4": "e",
        },
    )  # fmt: skip
    assert question.status_code == 302


def _malay_values(form_page: str) -> dict[str, str]:
    """What the organiser types into the Languages page's Malay form: every
    field it renders, the ones of this journey filled."""
    keys = re.findall(r'name="((?:[a-z]+)-\d+-[a-z_]+)"', form_page)
    values, options = {}, iter(OPTIONS_MS)
    for key in keys:
        kind, _id, name = key.split("-", 2)
        if kind == "option":
            values[key] = next(options)
        else:
            values[key] = MALAY.get(f"{kind}-{name}", "")
    return values


def test_organiser_translates_through_the_pages_and_a_visitor_reads_malay(
    client, login, organiser
):
    fresh_locale(client)
    login(organiser)
    _create_everything(client)
    base = f"/manage/events/{SLUG}"

    saved = client.post(f"{base}/languages", data={"default": "en", "others": ["ms"]})
    assert saved.status_code == 302
    challenges = client.get(f"{base}/challenges").text
    assert "Malay</a>: 2 texts missing" in challenges  # title and description
    survey = committed().scalar(select(Survey))
    builder = client.get(f"{base}/surveys/{survey.id}").text
    # Title, introduction, the question and its two options.
    assert "Malay</a>: 5 texts missing" in builder

    form_page = client.get(f"{base}/languages?language=ms").text
    values = _malay_values(form_page)
    assert sum(1 for key in values if key.startswith("option-")) == 2
    posted = client.post(f"{base}/translations/ms", data=values)
    assert posted.status_code == 302
    builder = client.get(f"{base}/surveys/{survey.id}").text
    assert "Malay</a>: 1 text missing" in builder  # the introduction

    session = committed()
    event = session.scalar(select(Event).where(Event.slug == SLUG))
    assert event.content_languages == ["ms"]
    challenge = session.scalar(select(Challenge))
    assert challenge.translations == {"ms": {"title": MALAY["challenge-title"]}}
    survey = session.scalar(select(Survey))
    question = survey.questions[0]
    assert question.translations == {"ms": {"text": MALAY["surveyq-text"]}}
    assert [o.translations["ms"]["label"] for o in question.options] == OPTIONS_MS

    client.post("/logout")
    with client.session_transaction() as cookie_session:
        cookie_session.clear()
    choose(client, "ms")
    page = client.get(f"/events/{SLUG}/challenges").text
    assert MALAY["challenge-title"] in page and MALAY["event-title"] in page
    # The description has no Malay yet: English, marked.
    assert "<em>food waste</em>" in page and MARKER in page
    answer = client.get(f"/events/{SLUG}/surveys/public/{survey.public_token}").text
    assert f"<h1>{MALAY['survey-title']}</h1>" in answer
    assert MALAY["surveyq-text"] in answer
    for label in OPTIONS_MS:
        assert f"> {label}</label>" in answer
    choose(client, "en")
    english = client.get(f"/events/{SLUG}/surveys/public/{survey.public_token}").text
    assert "<h1>Before we meet</h1>" in english and "> Plastics</label>" in english
