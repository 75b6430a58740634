"""From an empty database and an organiser account, through the pages only:
an event is created and published, three people register, the organiser
uploads the meeting's Zoom report (one registrant under "Name (Organisation)",
one under a nickname without email, the host), links the nickname to its
registrant in the preview, and applies: each registration's attendance is
stored, the host counts for nobody."""

from __future__ import annotations

import html
import io
import re

from sqlalchemy import select

from consult.events.models import Event
from consult.registration.models import AttendanceImport, Registration
from consult.timeutil import local_date
from tests.effects import committed
from tests.events.test_manage_pages import FORM
from tests.registration.attendance_reports import HOST, zoom_meeting
from tests.registration.test_public_pages import form


def test_an_organiser_imports_a_report_and_links_a_nickname_from_the_pages(
    client, login, organiser
):
    login(organiser)
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    slug = "circular-design-clinic"
    base = f"/manage/events/{slug}"
    assert client.post(f"{base}/publish").status_code == 302
    people = (
        ("Siti Aminah", "siti@example.my"),
        ("Jan de Vries", "jan@example.nl"),
        ("Ana Ferreira", "ana@example.pt"),
    )
    for name, email in people:
        registered = client.post(
            f"/events/{slug}/register", data=form(full_name=name, email=email)
        )
        assert registered.status_code == 200
    event = committed().scalar(select(Event).where(Event.slug == slug))
    day = local_date(event.start_at, event.timezone)
    report = zoom_meeting(
        day,
        [
            HOST,
            ("Siti Aminah (MBPJ)", "", "16:02", "17:55", 113),
            ("Janneke", "", "16:05", "16:50", 45),
        ],
    )

    login(organiser)
    assert "Import attendance" in client.get(f"{base}/attendance").text
    previewed = client.post(
        f"{base}/attendance",
        data={
            "report": (io.BytesIO(report), "participants.csv"),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "30",
        },
        content_type="multipart/form-data",
    )
    page = html.unescape(previewed.text)
    assert previewed.status_code == 200
    assert "Check the dates" not in page
    assert "1 confirmed registrant will be marked as attended." in page
    janneke = next(r for r in page.split("<tr>") if "<td>Janneke</td>" in r)
    link = re.search(r'<select id="(link-\d+)"', janneke).group(1)
    jan_id = re.search(r'<option value="(\d+)">Jan de Vries', janneke).group(1)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)

    checked = client.post(
        f"{base}/attendance/apply", data={"token": token, link: jan_id, "recheck": "1"}
    )
    assert "2 confirmed registrants will be marked as attended." in checked.text
    done = client.post(
        f"{base}/attendance/apply",
        data={"token": token, link: jan_id},
        follow_redirects=True,
    )

    assert "Attendance imported from participants.csv: 2 registrants" in done.text
    stored = {
        r.full_name: (r.attended, r.attended_minutes)
        for r in committed().scalars(
            select(Registration).where(Registration.event_id == event.id)
        )
    }
    assert stored == {
        "Siti Aminah": (True, 113),
        "Jan de Vries": (True, 45),
        "Ana Ferreira": (False, None),
    }
    [record] = committed().scalars(select(AttendanceImport))
    assert (record.matched, record.unmatched) == (2, 1)  # the host
