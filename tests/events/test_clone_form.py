"""The clone page (issue 24, 4): it asks what to copy, every part ticked at
first with a line saying what it copies, and copies what was left ticked."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from consult.challenges.models import Challenge
from consult.contributions.models import ContributionCall
from consult.events.models import Event
from consult.registration.models import RegistrationQuestion
from consult.surveys.models import Survey
from tests.effects import committed
from tests.events.test_full_clone import PARTS, dressed_source


def _clones(source):
    return committed().scalars(select(Event).where(Event.id != source.id)).all()


def _count(model, event) -> int:
    return committed().scalar(
        select(func.count()).select_from(model).where(model.event_id == event.id)
    )


def test_the_page_lists_every_part_ticked_with_what_it_copies(
    client, login, organiser, reg_event
):
    login(organiser)
    overview = client.get(f"/manage/events/{reg_event.slug}/").text
    assert f'href="/manage/events/{reg_event.slug}/clone"' in overview
    page = client.get(f"/manage/events/{reg_event.slug}/clone")
    assert page.status_code == 200
    html = page.text
    for key in PARTS:
        box = re.search(rf'<input[^>]*name="{key}"[^>]*>', html).group(0)
        assert "checked" in box, key
        assert f'id="{key}-help"' in html
    assert "No responses, answers or invitations." in html
    assert _clones(reg_event) == []  # a GET writes nothing


def test_the_form_copies_the_ticked_parts_only(
    client, login, organiser, reg_event, now, make_registration
):
    source = dressed_source(reg_event, organiser, now, make_registration)
    login(organiser)
    response = client.post(
        f"/manage/events/{source.slug}/clone",
        data={"challenges": "y", "surveys": "y", "sender": "y"},
    )
    assert response.status_code == 302
    [clone] = _clones(source)
    assert response.location.endswith(f"/manage/events/{clone.slug}/edit")
    assert clone.status == "draft" and clone.owner_id == organiser.id
    assert [c.title for c in committed().scalars(
        select(Challenge).where(Challenge.event_id == clone.id)
    )] == ["Plastic packaging"]  # fmt: skip
    assert [s.title for s in committed().scalars(
        select(Survey).where(Survey.event_id == clone.id)
    )] == ["After the webinar"]  # fmt: skip
    assert clone.email_sender_name == "PJ Circular Team"
    # Left unticked: not copied.
    assert _count(RegistrationQuestion, clone) == 0
    assert _count(ContributionCall, clone) == 0
    assert clone.content_languages == []


def test_questions_without_their_types_come_back_with_the_reason(
    client, login, organiser, reg_event, now, make_registration
):
    source = dressed_source(reg_event, organiser, now, make_registration)
    login(organiser)
    response = client.post(
        f"/manage/events/{source.slug}/clone",
        data={"questions": "y", "challenges": "y"},
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="questions-error"' in html
    assert "copy the stakeholder types with them" in html
    # What was typed comes back: the ticks as they were.
    assert "checked" in re.search(r'<input[^>]*name="challenges"[^>]*>', html)[0]
    assert "checked" not in re.search(r'<input[^>]*name="types"[^>]*>', html)[0]
    assert _clones(source) == []


def test_another_organiser_cannot_clone(client, login, other_organiser, reg_event):
    login(other_organiser)
    assert client.get(f"/manage/events/{reg_event.slug}/clone").status_code == 403
    posted = client.post(f"/manage/events/{reg_event.slug}/clone", data={})
    assert posted.status_code == 403
    assert _clones(reg_event) == []
