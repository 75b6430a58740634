"""From pages only: an organiser creates an event and links it to a new Zoom
meeting; a participant registers on the public form; the job creates the
meeting, adds her and emails her personal link; her manage page shows it;
she cancels and the job cancels her on Zoom."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from consult.extensions import db
from tests.clock import field, wall

MANAGE = re.compile(r"https?://\S+/registration/[^\s/]+")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_journey_zoom_personal_link_from_pages(
    app, client, organiser, login, outbox, zoom, run_job, now
):
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Circular cities webinar", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    page = client.get(f"/manage/events/{slug}/platform").get_data(as_text=True)
    assert "Webinar platform" in page
    linked = client.post(
        f"/manage/events/{slug}/platform",
        data={"platform": "zoom", "kind": "webinar", "existing_id": ""},
    )
    assert linked.status_code == 302
    assert zoom.calls == []

    visitor = app.test_client()
    registered = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": "Farah Lim", "email": "farah@example.my",
              "country": "MY", "timezone": "Asia/Kuala_Lumpur",
              "type_key": "civil_society", "role": "attendee",
              "consent_privacy": "y"},
    )  # fmt: skip
    assert registered.status_code == 200
    assert zoom.calls == []  # confirmed at once, nothing asked of Zoom yet

    later = now + timedelta(minutes=5)
    run_job(later)
    [webinar_id] = list(zoom.meetings)
    assert zoom.meetings[webinar_id]["type"] == 5
    registrant = zoom.active(webinar_id)["farah@example.my"]

    mails = outbox()
    db.session.commit()
    told = next(m for m in mails if "personal join link" in m.subject.lower())
    assert told.recipient == "farah@example.my"
    assert registrant["join_url"] in told.body_text
    manage = _path(MANAGE.search(told.body_text).group(0))

    page = visitor.get(manage).get_data(as_text=True)
    assert "Your personal join link (please do not share it):" in page
    assert registrant["join_url"] in page.replace("&amp;", "&")

    status = client.get(f"/manage/events/{slug}/platform").get_data(as_text=True)
    assert "Farah Lim" in status and "On the platform" in status

    cancel = re.search(r'action="([^"]+/cancel)"', page).group(1)
    assert visitor.post(cancel, data={"confirm": "y"}).status_code in (200, 302)
    page = visitor.get(manage).get_data(as_text=True)
    assert registrant["join_url"] not in page.replace("&amp;", "&")
    run_job(later + timedelta(minutes=1))
    assert zoom.active(webinar_id) == {}
    [cancelled] = zoom.calls_to("PUT", rf"/webinars/{webinar_id}/registrants/status$")
    assert cancelled[2]["action"] == "cancel"
