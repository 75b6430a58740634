"""Public event pages: listing, detail, visibility, safe rendering."""

from __future__ import annotations

from datetime import date, datetime, time
from html.parser import HTMLParser

import pytest

from consult.events.services import add_co_organiser, cancel_event
from consult.extensions import db
from tests.clock import day, wall


def shown(when: date) -> str:
    """A date as the pages write it: Tue 15 Dec 2026."""
    return f"{when:%a} {when.day} {when:%b %Y}"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, now):
    """Public pages split upcoming/past by the clock; pin it to the fixed now."""
    monkeypatch.setattr("consult.events.routes.public.now_utc", lambda: now)


def test_index_lists_published_upcoming_and_past_events(client, organiser, make_event):
    make_event(organiser, publish=True, title="Upcoming consultation")
    make_event(
        organiser,
        publish=True,
        title="Last spring's webinar",
        start=wall(-236, 16),
        end=wall(-236, 18),
    )
    make_event(organiser, title="Secret draft")

    html = client.get("/").get_data(as_text=True)

    assert "Upcoming consultation" in html
    assert "Last spring&#39;s webinar" in html
    assert "Secret draft" not in html
    assert html.index("Upcoming consultation") < html.index("Past events")
    assert html.index("Past events") < html.index("Last spring&#39;s webinar")
    assert f"{shown(day(21))}, 16:00–18:00 Kuala Lumpur time (UTC+8)" in html


def test_index_marks_cancelled_events(client, organiser, make_event, now):
    event = make_event(organiser, publish=True, title="Called off")
    cancel_event(event, organiser, "Speakers unavailable", now=now)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Called off" in html
    assert 'class="badge badge-cancelled">Cancelled' in html


def test_index_without_events_says_so(client):
    html = client.get("/").get_data(as_text=True)
    assert "No events are planned at the moment" in html


def test_detail_shows_event_with_zone_labelled_times_and_agenda(
    client, event_with_agenda
):
    response = client.get(f"/events/{event_with_agenda.slug}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Designing Circular Cities in Malaysia</h1>" in html
    assert "A stakeholder consultation on plastics." in html
    assert f"{shown(day(21))}, 16:00–18:00 Kuala Lumpur time (UTC+8)" in html
    assert f'datetime="{day(21)}T08:00:00Z"' in html
    assert (
        f'class="viewer-time" data-start="{day(21)}T08:00:00Z" '
        f'data-end="{day(21)}T10:00:00Z"'
    ) in html
    assert "Hosted by Petaling Jaya, Malaysia" in html
    assert "Brussels" in html and "(Belgium)" in html
    assert "<li>Plastics</li>" in html
    assert "<strong>unified</strong>" in html
    # Agenda: times in the event's zone and speakers with affiliation and place.
    assert "16:30–17:00" in html
    assert "Petaling Jaya&#39;s five challenges" in html
    assert "<strong>Aisha Rahman</strong>, Petaling Jaya City Council" in html
    assert "(Petaling Jaya, Malaysia)" in html


def test_detail_labels_summer_time_with_its_own_offset(client, organiser, make_event):
    summer = date(day(0).year + 1, 6, 2)
    event = make_event(
        organiser,
        publish=True,
        timezone="Europe/Brussels",
        start=datetime.combine(summer, time(14)),
        end=datetime.combine(summer, time(16)),
    )
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"{shown(summer)}, 14:00–16:00 Brussels time (UTC+2)" in html
    assert f'data-start="{summer}T12:00:00Z"' in html


def test_join_url_is_never_on_the_public_page(
    client, event_with_agenda, organiser, login
):
    assert "zoom.example.org" not in client.get("/").get_data(as_text=True)
    page = client.get(f"/events/{event_with_agenda.slug}").get_data(as_text=True)
    assert "zoom.example.org" not in page
    login(organiser)  # not even when an organiser views the public page
    page = client.get(f"/events/{event_with_agenda.slug}").get_data(as_text=True)
    assert "zoom.example.org" not in page


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
    ],
)
def test_description_is_sanitised(client, organiser, make_event, payload):
    event = make_event(organiser, publish=True, description=f"Hello\n\n{payload}")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    description = html.split('class="event-description"', 1)[1].split("</section>")[0]
    tags = _tags(description)

    assert "Hello" in html
    assert not [t for t, _ in tags if t in ("script", "img")]
    assert not [a for _, attrs in tags for a, _v in attrs if a.startswith("on")]
    hrefs = [v or "" for _, attrs in tags for a, v in attrs if a == "href"]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript")]
    # Across the whole page the only script is our own file.
    scripts = [dict(attrs).get("src") for t, attrs in _tags(html) if t == "script"]
    assert scripts == ["/static/js/localtime.js"]


def _tags(html: str) -> list[tuple[str, list]]:
    """(tag, attributes) of every start tag, as a browser would see them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_cancelled_event_page_says_so_with_the_reason(
    client, organiser, make_event, now
):
    event = make_event(organiser, publish=True)
    cancel_event(
        event,
        organiser,
        "Postponed to January; registrants will hear from us.",
        now=now,
    )
    db.session.commit()
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "This event has been cancelled." in html
    assert "Postponed to January; registrants will hear from us." in html
    assert 'role="alert"' in html


def test_unknown_event_is_404(client):
    assert client.get("/events/no-such-event").status_code == 404


class TestDraftVisibility:
    @pytest.fixture
    def draft(self, organiser, co_organiser, make_event, now):
        event = make_event(organiser, title="Hidden draft")
        add_co_organiser(event, organiser, co_organiser.email, now=now)
        db.session.commit()
        return event

    def test_anonymous_gets_404(self, client, draft):
        response = client.get(f"/events/{draft.slug}")
        assert response.status_code == 404
        assert "Hidden draft" not in response.get_data(as_text=True)

    def test_another_organiser_gets_404(self, client, login, other_organiser, draft):
        login(other_organiser)
        assert client.get(f"/events/{draft.slug}").status_code == 404

    @pytest.mark.parametrize("who", ["organiser", "co_organiser", "admin"])
    def test_organisers_and_admins_see_it_with_a_notice(
        self, client, login, request, draft, who
    ):
        login(request.getfixturevalue(who))
        response = client.get(f"/events/{draft.slug}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Hidden draft" in html
        assert "Draft — only organisers can see this." in html
        assert "Manage this event" in html
