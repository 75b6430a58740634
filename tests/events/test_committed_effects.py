"""Every organiser event page that changes data commits the change.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.events.access import can_manage
from consult.events.models import AgendaSession, Event
from tests.clock import field, wall
from tests.effects import committed, committed_row
from tests.events.test_agenda_and_organiser_pages import SESSION_FORM
from tests.events.test_manage_pages import FORM


def _event_by_slug(slug):
    return committed().scalar(select(Event).where(Event.slug == slug))


def test_create_edit_publish_cancel_and_clone_are_committed(client, login, organiser):
    login(organiser)
    created = client.post("/manage/events/new", data=FORM)
    assert created.status_code == 302
    event = _event_by_slug("circular-design-clinic")
    assert (event.status, event.owner_id, event.capacity) == ("draft", organiser.id, 80)

    base = f"/manage/events/{event.slug}"
    edited = client.post(f"{base}/edit", data={**FORM, "capacity": "120"})
    assert edited.status_code == 302
    assert committed_row(Event, event.id).capacity == 120

    assert client.post(f"{base}/publish").status_code == 302
    assert committed_row(Event, event.id).status == "published"

    assert client.post(f"{base}/clone").status_code == 302
    copies = committed().scalars(select(Event).where(Event.id != event.id)).all()
    assert [(c.title, c.status) for c in copies] == [(event.title, "draft")]

    cancelled = client.post(f"{base}/cancel", data={"reason": "Venue flooded"})
    assert cancelled.status_code == 302
    stored = committed_row(Event, event.id)
    assert stored.is_cancelled and stored.cancellation_reason == "Venue flooded"


def test_agenda_sessions_are_committed(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    base = f"/manage/events/{event.slug}/agenda"
    assert client.post(f"{base}/new", data=SESSION_FORM).status_code == 302
    session = committed().scalar(select(AgendaSession))
    assert session.title == "European best practices"
    assert [s.name for s in session.speakers] == ["Marta Novak"]

    edit = {
        "title": "Design for durability",
        "start": field(wall(21, 17)),
        "end": field(wall(21, 17, 45)),
        "speakers-0-name": "Marta Novak",
    }
    assert client.post(f"{base}/{session.id}/edit", data=edit).status_code == 302
    assert committed_row(AgendaSession, session.id).title == "Design for durability"

    assert client.post(f"{base}/{session.id}/delete").status_code == 302
    assert committed().scalar(select(func.count(AgendaSession.id))) == 0


def test_co_organisers_are_committed(
    client, login, organiser, co_organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    url = f"/manage/events/{event.slug}/organisers"
    assert client.post(url, data={"email": "co@example.org"}).status_code == 302
    committed()
    assert can_manage(co_organiser, committed_row(Event, event.id))

    assert client.post(f"{url}/{co_organiser.id}/remove").status_code == 302
    committed()
    assert not can_manage(co_organiser, committed_row(Event, event.id))


def test_content_languages_and_translations_are_committed(
    client, login, organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    base = f"/manage/events/{event.slug}"
    saved = client.post(f"{base}/languages", data={"default": "en", "others": ["ms"]})
    assert saved.status_code == 302
    stored = committed_row(Event, event.id)
    assert (stored.default_language, stored.content_languages) == ("en", ["ms"])

    key = f"event-{event.id}-title"
    assert (
        client.post(f"{base}/translations/ms", data={key: "Klinik"}).status_code == 302
    )
    assert committed_row(Event, event.id).translations == {"ms": {"title": "Klinik"}}
