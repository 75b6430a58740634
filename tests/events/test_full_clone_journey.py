"""Journey from pages only (issue 24, 4): an empty database and an organiser.

The organiser creates an event, adds a challenge and a survey with a question
through the pages, clones the event with every part the clone page offers
ticked, and finds the challenge, the survey and its question on the new
draft's pages; the stored rows say the challenge is the same one.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.events.models import Event
from consult.surveys.models import Survey
from tests.clock import field, wall
from tests.effects import committed
from tests.events.test_manage_pages import FORM as EVENT_FORM

SLUG = "circular-design-clinic"


def _ticked_boxes(page: str) -> dict[str, str]:
    """What the browser sends for the clone form as it arrives: every box
    that is checked, and the CSRF token."""
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    sent = {}
    for box in boxes:
        if "checked" in box:
            sent[re.search(r'name="([^"]+)"', box).group(1)] = "y"
    return sent


def test_an_organiser_clones_an_event_with_everything_through_the_pages(
    client, login, organiser
):
    login(organiser)
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    base = f"/manage/events/{SLUG}"
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
            "audience": "confirmed",
            "opens": field(wall(14, 9)),
            "closes": field(wall(21, 15)),
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

    overview = client.get(f"{base}/").text
    assert f'href="{base}/clone"' in overview
    form = client.get(f"{base}/clone").text
    ticked = _ticked_boxes(form)
    assert {"challenges", "surveys", "types", "questions"} <= set(ticked)
    cloned = client.post(f"{base}/clone", data=ticked)
    assert cloned.status_code == 302
    clone = committed().scalar(select(Event).where(Event.slug != SLUG))
    assert cloned.location.endswith(f"/manage/events/{clone.slug}/edit")

    challenges = client.get(f"/manage/events/{clone.slug}/challenges").text
    assert "Food and organic waste" in challenges
    surveys = client.get(f"/manage/events/{clone.slug}/surveys").text
    assert "Before we meet" in surveys
    copy = committed().scalar(select(Survey).where(Survey.event_id == clone.id))
    builder = client.get(f"/manage/events/{clone.slug}/surveys/{copy.id}").text
    assert "What matters most?" in builder
    assert "Food waste" in builder and "Plastics" in builder
    # Moved with the event: the same local times, whole weeks later.
    assert copy.opens_at - survey.opens_at == clone.start_at - survey.event.start_at

    original, copied = (
        committed().scalars(select(Challenge).order_by(Challenge.id)).all()
    )
    assert (copied.event_id, copied.lineage_id) == (clone.id, original.id)
    edit = client.get(f"/manage/events/{clone.slug}/challenges/{copied.id}/edit").text
    assert "The same challenge at:" in edit and "Circular Design Clinic" in edit
