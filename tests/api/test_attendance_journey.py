"""From pages only: an organiser creates and publishes an event, a participant
registers on its page, the organiser makes a token on their account page,
and an integration imports the meeting's attendance report through the API
and reads the attendance back."""

from __future__ import annotations

import io

from tests.api.conftest import bearer
from tests.api.test_journey import _new_token, published_event
from tests.clock import wall
from tests.registration.attendance_reports import HOST, zoom_meeting


def test_an_integration_imports_attendance_with_a_token_from_the_account_page(
    app, client, organiser, login, outbox
):
    login(organiser)
    slug = published_event(client)

    participant = app.test_client()
    registered = participant.post(
        f"/events/{slug}/register",
        data={
            "full_name": "Siti Aminah",
            "email": "siti.aminah@example.my",
            "organisation": "Zero Waste PJ",
            "country": "MY",
            "timezone": "Asia/Kuala_Lumpur",
            "type_key": "civil_society",
            "role": "attendee",
            "consent_privacy": "y",
        },
    )
    assert "Your seat is confirmed" in registered.text
    secret = _new_token(client)  # events and registrations, read and write

    integration = app.test_client()  # no cookies: the token alone
    report = zoom_meeting(
        wall(20).date(),
        [HOST, ("Siti Aminah", "siti.aminah@example.my", "15:02", "16:40", 98)],
    )
    imported = integration.post(
        f"/api/v1/events/{slug}/attendance/imports",
        headers=bearer(secret),
        data={"report": (io.BytesIO(report), "participants.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 201, imported.get_json()
    body = imported.get_json()
    assert [(m["full_name"], m["minutes"]) for m in body["matched"]] == [
        ("Siti Aminah", 98)
    ]
    assert [p["name"] for p in body["unmatched"]] == ["Consult Organiser"]
    assert body["stray_days"] == []

    read = integration.get(
        f"/api/v1/events/{slug}/attendance", headers=bearer(secret)
    ).get_json()
    assert [
        (r["full_name"], r["attended"], r["attended_minutes"]) for r in read["items"]
    ] == [("Siti Aminah", True, 98)]
    assert (read["totals"]["registered"], read["totals"]["attended"]) == (1, 1)
    assert read["totals"]["rate"] == 1.0
    assert [i["filename"] for i in read["imports"]] == ["participants.csv"]
    # The organiser's import page lists it, as if they had uploaded it there.
    page = client.get(f"/manage/events/{slug}/attendance").text
    assert "participants.csv" in page
