"""Organiser pages: access, creating and editing events, lifecycle buttons."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.events.models import Event
from consult.events.services import add_co_organiser
from consult.extensions import db
from tests.clock import field, utc, wall

FORM = {
    "title": "Circular Design Clinic",
    "slug": "",
    "summary": "Experts review product designs.",
    "description": "Bring your **prototype**.",
    "host_city": "Petaling Jaya",
    "host_country": "Malaysia",
    "partner_cities": "Brussels, Belgium\nLjubljana, Slovenia",
    "topics": "Durability\nReparability",
    "timezone": "Asia/Kuala_Lumpur",
    "start": field(wall(21, 16)),
    "end": field(wall(21, 18)),
    "join_url": "https://zoom.example.org/j/987",
    "capacity": "80",
    "registration_opens": "",
    "registration_closes": field(wall(20, 23, 59)),
}


def _error_for(html: str, field: str) -> str:
    """The text of the error shown next to a field (empty when none)."""
    marker = f'id="{field}-error"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split(">", 1)[1].split("</small>", 1)[0]


def _events():
    return list(db.session.scalars(select(Event)))


@pytest.fixture
def co_organised(organiser, co_organiser, make_event, now):
    event = make_event(organiser, title="Shared draft")
    add_co_organiser(event, organiser, co_organiser.email, now=now)
    db.session.commit()
    return event


class TestAccess:
    @pytest.mark.parametrize(
        "path",
        ["/manage/", "/manage/events/new", "/manage/events/shared-draft/edit"],
    )
    def test_anonymous_is_sent_to_login(self, client, co_organised, path):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]

    def test_experts_cannot_open_the_organiser_pages(self, client, login, make_user):
        login(make_user("expert@example.org", role="expert"))
        assert client.get("/manage/").status_code == 403
        assert client.get("/manage/events/new").status_code == 403

    def test_manage_index_lists_own_and_co_organised_events(
        self, client, login, co_organiser, other_organiser, make_event, co_organised
    ):
        make_event(other_organiser, title="Someone else's event")
        login(co_organiser)
        html = client.get("/manage/").get_data(as_text=True)
        assert "Shared draft" in html
        assert "Co-organiser" in html
        assert "Someone else" not in html
        assert "New event" in html

    def test_admin_sees_every_event(
        self, client, login, admin, other_organiser, make_event
    ):
        make_event(other_organiser, title="Someone else's event", publish=True)
        login(admin)
        html = client.get("/manage/").get_data(as_text=True)
        assert "Someone else&#39;s event" in html
        assert "badge-published" in html

    def test_co_organiser_can_edit(self, client, login, co_organiser, co_organised):
        login(co_organiser)
        assert client.get("/manage/events/shared-draft/edit").status_code == 200
        response = client.post(
            "/manage/events/shared-draft/edit",
            data={**FORM, "title": "Edited by co", "slug": "shared-draft"},
        )
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Event, co_organised.id).title == "Edited by co"

    def test_other_organiser_gets_404_on_a_draft_and_403_on_a_published_event(
        self, client, login, organiser, other_organiser, make_event, co_organised
    ):
        published = make_event(organiser, publish=True, title="Live event")
        login(other_organiser)
        assert client.get("/manage/events/shared-draft/").status_code == 404
        assert client.get(f"/manage/events/{published.slug}/edit").status_code == 403
        response = client.post(
            f"/manage/events/{published.slug}/edit", data={**FORM, "title": "Hijacked"}
        )
        assert response.status_code == 403
        db.session.expire_all()
        assert db.session.get(Event, published.id).title == "Live event"


def test_create_event_through_the_form(client, login, organiser):
    login(organiser)
    form_page = client.get("/manage/events/new").get_data(as_text=True)
    assert 'type="datetime-local"' in form_page
    # The zone is typed or picked: a text field filtered by a list of zones.
    assert 'list="timezone-zones"' in form_page
    assert '<option value="Asia/Kuala_Lumpur">Asia/Kuala Lumpur</option>' in form_page
    assert "Asia/Calcutta" not in form_page

    response = client.post("/manage/events/new", data=FORM, follow_redirects=True)
    html = response.get_data(as_text=True)

    [event] = _events()
    assert event.slug == "circular-design-clinic"
    assert event.status == "draft" and event.owner_id == organiser.id
    assert event.start_at == utc(21, 8)
    assert event.registration_closes_at == utc(20, 15, 59)
    assert event.capacity == 80
    assert event.topics == ["Durability", "Reparability"]
    assert [c.country for c in event.partner_cities] == ["Belgium", "Slovenia"]
    assert response.request.path == "/manage/events/circular-design-clinic/"
    assert "Draft saved" in html
    # Organisers see the join URL on their own pages.
    assert "https://zoom.example.org/j/987" in html


def test_a_past_start_saves_with_a_warning(client, login, organiser):
    login(organiser)
    response = client.post(
        "/manage/events/new",
        data={
            **FORM,
            "start": field(wall(-683, 10)),
            "end": field(wall(-683, 11)),
            "registration_closes": "",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert len(_events()) == 1
    assert "flash-warning" in html and "starts in the past" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": field(wall(21, 15))}, "end", "The end must be after the start."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list"),
        ({"join_url": "javascript:alert(1)"}, "join_url", "https://"),
        ({"join_url": "ftp://example.org/x"}, "join_url", "https://"),
        ({"slug": "Not OK!"}, "slug", "lower-case letters"),
        ({"slug": "new"}, "slug", "reserved"),
        (
            {
                "registration_opens": field(wall(16, 9)),
                "registration_closes": field(wall(7, 9)),
            },
            "registration_closes",
            "close after it opens",
        ),
        ({"start": "tomorrow"}, "start", "Enter a date and time."),
        ({"capacity": "-5"}, "capacity", "from 0 to 1,000,000"),
        ({"capacity": "99999999999"}, "capacity", "from 0 to 1,000,000"),
        ({"capacity": "1e3"}, "capacity", "from 0 to 1,000,000"),
        ({"title": ""}, "title", "required"),
    ],
)
def test_invalid_form_shows_the_error_next_to_the_field(
    client, login, organiser, changes, field, message
):
    login(organiser)
    response = client.post("/manage/events/new", data={**FORM, **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_for(html, field)
    assert 'aria-invalid="true"' in html
    assert _events() == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Asia/Calcutta", "Asia/Kolkata"), ("berlin", "Europe/Berlin")],
)
def test_a_typed_alias_or_city_is_saved_as_the_canonical_zone(
    client, login, organiser, typed, stored
):
    login(organiser)
    response = client.post("/manage/events/new", data={**FORM, "timezone": typed})
    assert response.status_code == 302
    [event] = _events()
    assert event.timezone == stored


def test_duplicate_slug_through_the_form(client, login, organiser, make_event):
    make_event(organiser, slug="taken-slug")
    login(organiser)
    response = client.post("/manage/events/new", data={**FORM, "slug": "taken-slug"})
    assert response.status_code == 422
    assert "already uses" in _error_for(response.get_data(as_text=True), "slug")
    assert len(_events()) == 1


def test_edit_form_shows_times_in_the_event_zone(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    html = client.get(f"/manage/events/{event.slug}/edit").get_data(as_text=True)
    assert f'value="{field(wall(21, 16))}"' in html
    [zone_input] = re.findall(r'<input [^>]*name="timezone"[^>]*>', html)
    assert 'value="Asia/Kuala_Lumpur"' in zone_input
    # The event's own zone heads the list.
    zones = html.split('<datalist id="timezone-zones">', 1)[1]
    assert zones.startswith('<option value="Asia/Kuala_Lumpur">')
    assert "Brussels, Belgium\nLjubljana, Slovenia" in html


def test_changing_the_time_of_a_published_event_bumps_the_sequence(
    client, login, organiser, make_event
):
    event = make_event(organiser, publish=True, slug="live")
    login(organiser)
    client.post(
        "/manage/events/live/edit",
        data={
            **FORM,
            "slug": "live",
            "title": event.title,
            "start": field(wall(21, 17)),
            "end": field(wall(21, 19)),
            "join_url": event.join_url,
        },
    )
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.start_at == utc(21, 9)
    assert stored.sequence == 1


def test_publish_button(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    assert client.get(f"/manage/events/{event.slug}/publish").status_code == 405
    response = client.post(
        f"/manage/events/{event.slug}/publish", follow_redirects=True
    )
    assert "The event is published" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"
    assert event.title in client.get("/").get_data(as_text=True)


def test_cancel_asks_for_confirmation_and_a_reason(
    client, login, organiser, make_event
):
    event = make_event(organiser, publish=True)
    login(organiser)
    page = client.get(f"/manage/events/{event.slug}/cancel").get_data(as_text=True)
    assert "Cancel this event?" in page
    assert "This emails 0 people that the event is cancelled" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"

    response = client.post(f"/manage/events/{event.slug}/cancel", data={"reason": ""})
    assert response.status_code == 422
    assert _error_for(response.get_data(as_text=True), "reason")

    client.post(
        f"/manage/events/{event.slug}/cancel", data={"reason": "Moved to February."}
    )
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.status == "cancelled"
    assert stored.cancellation_reason == "Moved to February."
    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "This event has been cancelled." in public and "Moved to February." in public


def test_clone_button_makes_a_draft_and_opens_it(
    client, login, organiser, event_with_agenda
):
    login(organiser)
    response = client.post(f"/manage/events/{event_with_agenda.slug}/clone")
    assert response.status_code == 302
    clone = db.session.scalar(select(Event).where(Event.id != event_with_agenda.id))
    assert response.headers["Location"].endswith(f"/manage/events/{clone.slug}/edit")
    assert clone.status == "draft"
    assert len(clone.sessions) == 1


def test_csrf_token_is_required(database_url, tmp_path, organiser):
    from tests.conftest import make_app

    session_id = organiser.get_id()
    db.session.remove()  # release the fixture app's connection (SQLite write lock)
    app = make_app(database_url, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        response = client.post("/manage/events/new", data=FORM)
        assert response.status_code == 400
        assert "reload the page" in response.get_data(as_text=True)
        assert db.session.scalar(select(Event.id)) is None

        page = client.get("/manage/events/new").get_data(as_text=True)
        assert 'name="csrf_token"' in page
        db.session.remove()
        db.engine.dispose()


def test_slides_and_recording_links_are_saved_checked_and_shown(
    client, login, organiser, make_event
):
    event = make_event(organiser, publish=True, slug="after")
    login(organiser)
    data = {**FORM, "slug": "after", "title": event.title, "join_url": event.join_url}

    bad = client.post(
        "/manage/events/after/edit",
        data={**data, "slides_url": "javascript:alert(1)"},
    )
    assert bad.status_code == 422
    assert "starts with https://" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).slides_url == ""

    client.post(
        "/manage/events/after/edit",
        data={
            **data,
            "slides_url": "https://slides.example.org/pj",
            "recording_url": "https://video.example.org/pj",
        },
    )
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.slides_url, stored.recording_url) == (
        "https://slides.example.org/pj",
        "https://video.example.org/pj",
    )
    page = client.get("/events/after").get_data(as_text=True)
    assert 'href="https://slides.example.org/pj"' in page
    assert 'href="https://video.example.org/pj"' in page
