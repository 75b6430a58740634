"""From pages only: an organiser creates an event, two participants register
through the form, open the live room from their manage pages, ask and vote;
the organiser approves and pins, and runs a poll they answer."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.live.models import LivePollAnswer, LiveQuestion, LiveQuestionVote
from tests.clock import field, wall
from tests.effects import committed
from tests.factories import SERVER_NAMED

LINK = re.compile(r"https?://\S+/registration/[^\s/]+")


@pytest.fixture
def app_config():
    return SERVER_NAMED


def _register(app, slug, name, email, type_key):
    visitor = app.test_client()
    response = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": name, "email": email, "country": "MY",
              "timezone": "Asia/Kuala_Lumpur", "type_key": type_key,
              "role": "attendee", "consent_privacy": "y"},
    )  # fmt: skip
    assert response.status_code == 200, name
    return visitor


def _manage_path(outbox, email) -> str:
    mails = outbox()
    db.session.commit()
    mail = next(m for m in mails if m.recipient == email)
    return urlsplit(LINK.search(mail.body_text).group(0)).path


def _open_room(visitor, manage_path) -> str:
    page = visitor.get(manage_path).get_data(as_text=True)
    enter = re.search(r'href="([^"]+/live)"', page).group(1)
    response = visitor.get(enter)
    assert response.status_code == 302
    return urlsplit(response.location).path


def test_live_room_journey_from_pages(app, client, organiser, login, outbox, clock):
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Circular cities live", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(3, 15)), "end": field(wall(3, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    amina = _register(app, slug, "Amina Rahman", "amina@example.my", "government")
    wei = _register(app, slug, "Lim Wei", "wei@example.my", "private")
    amina_manage = _manage_path(outbox, "amina@example.my")
    wei_manage = _manage_path(outbox, "wei@example.my")

    # Before the room opens the manage page says when; then it links to it.
    assert "The live room opens on" in amina.get(amina_manage).get_data(as_text=True)
    clock.move_to(_start(slug))
    room = _open_room(amina, amina_manage)
    assert room == f"/events/{slug}/live"
    asked = amina.post(f"{room}/questions", data={"text": "Who funds repair cafés?"})
    assert asked.status_code == 302
    question = committed().scalar(select(LiveQuestion))

    moderation = client.get(f"/manage/events/{slug}/live").get_data(as_text=True)
    assert "Who funds repair cafés?" in moderation and "Amina Rahman" in moderation
    for action in ("approve", "pin"):
        client.post(
            f"/manage/events/{slug}/live/questions/{question.id}",
            data={"action": action},
        )

    _open_room(wei, wei_manage)
    page = wei.get(room).get_data(as_text=True)
    assert "Now discussing" in page and "Who funds repair cafés?" in page
    vote = re.search(r'action="([^"]+/vote[^"]*)"', page).group(1)
    assert wei.post(vote.replace("&amp;", "&")).status_code == 302
    assert [v.question_id for v in committed().scalars(select(LiveQuestionVote))] == [
        question.id
    ]

    client.post(
        f"/manage/events/{slug}/live/polls",
        data={"kind": "rating", "prompt": "How useful was this session?"},
    )
    moderation = client.get(f"/manage/events/{slug}/live").get_data(as_text=True)
    launch = re.search(r'action="([^"]+/polls/\d+)"', moderation).group(1)
    client.post(launch, data={"action": "launch"})
    page = amina.get(room).get_data(as_text=True)
    answer = re.search(r'action="([^"]+/answer)"', page).group(1)
    assert amina.post(answer, data={"rating": "5"}).status_code == 302
    assert wei.post(answer, data={"rating": "3"}).status_code == 302
    client.post(launch, data={"action": "close"})
    assert sorted(a.rating for a in committed().scalars(select(LivePollAnswer))) == [
        3,
        5,
    ]
    results = wei.get(room).get_data(as_text=True)
    assert "This poll is closed." in results and "Mean rating: 4.0" in results

    # The session is in the results: the dashboard, the report and the
    # workbook, by stakeholder group and without the participants' names.
    for page in ("dashboard", "report"):
        html = client.get(f"/manage/events/{slug}/{page}").get_data(as_text=True)
        live = html.split('id="live-session"')[1].split("</section>")[0]
        assert "Who funds repair cafés?" in live and "Government" in live
        assert "How useful was this session?" in live
        assert "Mean rating: 4.0" in live
        assert "Amina" not in live and "Lim Wei" not in live
    book = load_workbook(
        io.BytesIO(client.get(f"/manage/events/{slug}/export.xlsx").data)
    )
    rows = list(book["Live questions"].values)
    assert rows[1][0] == "Who funds repair cafés?" and rows[1][2] == 1
    assert len(list(book["Live polls"].values)) == 1 + 5  # ratings 1 to 5


def _start(slug):
    from consult.events.models import Event

    return committed().scalar(select(Event).where(Event.slug == slug)).start_at
