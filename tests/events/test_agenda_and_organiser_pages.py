"""Organiser pages for the agenda (sessions with speaker rows) and co-organisers."""

from __future__ import annotations

from consult.events.access import can_manage
from consult.events.models import AgendaSession
from consult.extensions import db
from tests.clock import field, utc, wall

SESSION_FORM = {
    "title": "European best practices",
    "start": field(wall(21, 17)),
    "end": field(wall(21, 17, 30)),
    "description": "Design for durability.",
    "speakers-0-name": "Marta Novak",
    "speakers-0-affiliation": "Circular Economy Club",
    "speakers-0-city": "Ljubljana",
    "speakers-0-country": "Slovenia",
    "speakers-0-bio": "Product designer.",
    "speakers-1-name": "",
    "speakers-1-affiliation": "",
}


def _error_for(html: str, field: str) -> str:
    marker = f'id="{field}-error"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split(">", 1)[1].split("</small>", 1)[0]


def test_new_session_form_works_without_javascript(
    client, login, organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    html = client.get(f"/manage/events/{event.slug}/agenda/new").get_data(as_text=True)
    # Suggested slot: the start of the event, in its own zone; two blank speaker rows.
    assert f'value="{field(wall(21, 16))}"' in html
    assert 'name="speakers-0-name"' in html and 'name="speakers-1-name"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_add_session_with_a_speaker(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/agenda/new",
        data=SESSION_FORM,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.request.path == f"/manage/events/{event.slug}/agenda"
    assert "Session added" in html and "European best practices" in html

    [session] = db.session.query(AgendaSession).all()
    assert session.start_at == utc(21, 9)
    assert [(s.name, s.city) for s in session.speakers] == [
        ("Marta Novak", "Ljubljana")
    ]


def test_session_outside_the_event_is_refused_next_to_the_field(
    client, login, organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/agenda/new",
        data={
            **SESSION_FORM,
            "start": field(wall(21, 17, 30)),
            "end": field(wall(21, 18, 30)),
        },
    )
    assert response.status_code == 422
    error = _error_for(response.get_data(as_text=True), "end")
    assert "The session must end within the event" in error
    assert "16:00–18:00 Kuala Lumpur time (UTC+8)" in error
    assert db.session.query(AgendaSession).count() == 0


def test_speaker_row_without_a_name_is_refused(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/agenda/new",
        data={**SESSION_FORM, "speakers-0-name": ""},
    )
    assert response.status_code == 422
    assert "needs a name" in _error_for(
        response.get_data(as_text=True), "speakers-0-name"
    )


def test_edit_session_adds_and_removes_speakers(
    client, login, organiser, event_with_agenda
):
    session = event_with_agenda.sessions[0]
    url = f"/manage/events/{event_with_agenda.slug}/agenda/{session.id}/edit"
    login(organiser)
    html = client.get(url).get_data(as_text=True)
    assert (
        'value="Aisha Rahman"' in html and f'value="{field(wall(21, 16, 30))}"' in html
    )
    assert 'name="speakers-2-name"' in html  # the existing row plus two blank ones

    client.post(
        url,
        data={
            "title": "Five challenges",
            "start": field(wall(21, 16, 30)),
            "end": field(wall(21, 17)),
            "speakers-0-name": "Aisha Rahman",
            "speakers-0-remove": "y",
            "speakers-1-name": "Lee Wei Ming",
            "speakers-1-affiliation": "Universiti Malaya",
        },
    )
    db.session.expire_all()
    stored = db.session.get(AgendaSession, session.id)
    assert stored.title == "Five challenges"
    assert [(s.name, s.affiliation) for s in stored.speakers] == [
        ("Lee Wei Ming", "Universiti Malaya")
    ]


def test_delete_session(client, login, organiser, event_with_agenda):
    session = event_with_agenda.sessions[0]
    login(organiser)
    base = f"/manage/events/{event_with_agenda.slug}/agenda/{session.id}"
    assert client.get(f"{base}/delete").status_code == 405
    client.post(f"{base}/delete")
    assert db.session.query(AgendaSession).count() == 0


def test_session_of_another_event_is_404(
    client, login, organiser, make_event, event_with_agenda
):
    other = make_event(organiser, title="Other event")
    session = event_with_agenda.sessions[0]
    login(organiser)
    url = f"/manage/events/{other.slug}/agenda/{session.id}/edit"
    assert client.get(url).status_code == 404


def test_other_organiser_cannot_add_sessions(
    client, login, other_organiser, event_with_agenda
):
    login(other_organiser)
    response = client.post(
        f"/manage/events/{event_with_agenda.slug}/agenda/new", data=SESSION_FORM
    )
    assert response.status_code == 403
    assert db.session.query(AgendaSession).count() == 1


def test_organisers_page_adds_and_removes_a_co_organiser(
    client, login, organiser, co_organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    url = f"/manage/events/{event.slug}/organisers"
    page = client.get(url).get_data(as_text=True)
    assert "organiser@example.org" in page and "Owner" in page

    response = client.post(
        url, data={"email": " Co@Example.org "}, follow_redirects=True
    )
    assert "can now manage this event" in response.get_data(as_text=True)
    assert can_manage(co_organiser, event)

    client.post(f"{url}/{co_organiser.id}/remove")
    db.session.expire_all()
    assert not can_manage(co_organiser, event)


def test_unknown_email_is_explained_next_to_the_field(
    client, login, organiser, make_event
):
    event = make_event(organiser)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/organisers", data={"email": "ghost@example.org"}
    )
    assert response.status_code == 422
    assert "No account uses ghost@example.org" in _error_for(
        response.get_data(as_text=True), "email"
    )
