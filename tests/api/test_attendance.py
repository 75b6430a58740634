"""/api/v1/events/<slug>/attendance: who came, and reports imported.

The reports are the organiser's import page's samples (tests/registration/
data); the event and its registrants are those of the import's own tests.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.dashboard.services.queries import attendance_by_type
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import AttendanceImport, Registration
from consult.registration.services.organiser import set_checked_in
from consult.webhooks.models import WebhookDelivery
from consult.webhooks.services.subscriptions import (
    SubscriptionData,
    create_subscription,
)
from tests.api.conftest import bearer, make_token
from tests.effects import committed, committed_row
from tests.registration.attendance_reports import zoom_meeting
from tests.registration.test_attendance_services import (
    sample_event,
    sample_registrants,
)

DATA = Path(__file__).parents[1] / "registration" / "data"
ZOOM = "zoom-webinar-attendee-report.csv"
TEAMS = "teams-attendance-report.csv"


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.slug}/attendance{tail}"


def upload(api, event, name=ZOOM, *, content=None, secret=None, **fields):
    """POST a report file (a sample by name, or ``content``) with form fields."""
    if content is None:
        content = (DATA / name).read_bytes()
    data = {"report": (io.BytesIO(content), name), **fields}
    return api(
        "POST",
        url(event, "/imports"),
        secret=secret,
        data=data,
        content_type="multipart/form-data",
    )


def state(registrants) -> dict:
    for registration in registrants.values():
        db.session.refresh(registration)
    return {n: (r.attended, r.attended_minutes) for n, r in registrants.items()}


def imports() -> int:
    return db.session.scalar(select(func.count(AttendanceImport.id)))


def deliveries() -> list[str]:
    return list(db.session.scalars(select(WebhookDelivery.kind)))


def untouched(registrants) -> bool:
    return all(v == (False, None) for v in state(registrants).values())


@pytest.fixture
def hook(att_event, organiser, now):
    """A webhook subscription to attendance imports of the event."""
    row = create_subscription(
        att_event,
        organiser,
        SubscriptionData("http://127.0.0.1:9/hook", ("attendance.imported",)),
        now=now,
    )
    db.session.commit()
    return row


# ---- reading ------------------------------------------------------------


def test_attendance_lists_the_confirmed_with_the_dashboards_totals(
    api, att_event, registrants, organiser, now
):
    siti, tan = registrants["Siti Aminah"], registrants["Tan Wei Ming"]
    set_checked_in(att_event, siti.id, organiser, True, now=now)
    tan.attended, tan.attended_minutes = True, 127
    registrants["Lukas Becker"].attended_minutes = 6
    db.session.commit()

    response = api("GET", url(att_event))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    confirmed = [r for r in registrants.values() if r.status == "confirmed"]
    assert [row["registration_id"] for row in body["items"]] == sorted(
        r.id for r in confirmed
    )  # the cancelled and the pending are not in the base
    rows = {row["full_name"]: row for row in body["items"]}
    assert rows["Siti Aminah"]["attended"] is True
    assert rows["Siti Aminah"]["checked_in_at"] == siti.checked_in_at.isoformat()
    assert (
        rows["Tan Wei Ming"]["attended"],
        rows["Tan Wei Ming"]["attended_minutes"],
    ) == (
        True,
        127,
    )
    assert (
        rows["Lukas Becker"]["attended"],
        rows["Lukas Becker"]["attended_minutes"],
    ) == (
        False,
        6,
    )
    assert rows["Nurul Huda"]["email"] is None
    assert rows["Siti Aminah"]["stakeholder_type"]["key"] == "government"
    # The dashboard's own figures, and the rate they make.
    figures = attendance_by_type(att_event)
    totals = body["totals"]
    assert (totals["registered"], totals["attended"]) == (len(confirmed), 2)
    assert totals["registered"] == sum(f.confirmed for f in figures.values())
    assert totals["rate"] == pytest.approx(2 / len(confirmed))
    by_type = {t["stakeholder_type"]["key"]: t for t in totals["by_stakeholder_type"]}
    assert (by_type["government"]["registered"], by_type["government"]["attended"]) == (
        len(confirmed),
        2,
    )
    assert by_type["private"] == {
        "stakeholder_type": by_type["private"]["stakeholder_type"],
        "registered": 0,
        "attended": 0,
        "rate": None,
    }
    assert body["known"] is False  # the event has not started
    assert body["completed_at"] is None and body["imports"] == []
    assert body["event_timezone"] == "Asia/Kuala_Lumpur"


def test_attendance_filters_and_pages_by_a_cursor(api, att_event, registrants, now):
    for name in ("Siti Aminah", "Jan de Vries", "Park Ji-woo"):
        registrants[name].attended = True
    db.session.commit()
    came = sorted(
        registrants[n].id for n in ("Siti Aminah", "Jan de Vries", "Park Ji-woo")
    )

    def ids(query):
        body = api("GET", url(att_event, query)).get_json()
        return [row["registration_id"] for row in body["items"]], body

    assert ids("?attended=true")[0] == came
    absent, body = ids("?attended=false")
    assert set(absent).isdisjoint(came) and len(absent) == 6
    assert body["totals"]["attended"] == 3  # totals are the event's, not the page's
    first, body = ids("?attended=true&limit=2")
    assert first == came[:2] and body["next_cursor"]
    rest, body = ids(f"?attended=true&limit=2&cursor={body['next_cursor']}")
    assert rest == came[2:] and body["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("?attended=maybe", "attended"), ("?cursor=!!!", "cursor"), ("?limit=0", "limit")],
)
def test_bad_attendance_filters_are_422(api, att_event, query, field):
    response = api("GET", url(att_event, query))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_attendance_etag_304_until_someone_is_checked_in(
    api, att_event, registrants, organiser, now
):
    etag = api("GET", url(att_event)).headers["ETag"]
    assert (
        api("GET", url(att_event), headers={"If-None-Match": etag}).status_code == 304
    )
    set_checked_in(att_event, registrants["Jan de Vries"].id, organiser, True, now=now)
    db.session.commit()
    again = api("GET", url(att_event), headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.get_json()["totals"]["attended"] == 1


# ---- importing ----------------------------------------------------------


def test_a_dry_run_previews_as_the_page_does_and_changes_nothing(
    api, att_event, registrants, hook
):
    response = upload(api, att_event, dry_run="true", zone="Asia/Kuala_Lumpur")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["applied"] is False and body["record"] is None
    assert (body["source"], body["filename"], body["zone"]) == (
        "zoom",
        ZOOM,
        "Asia/Kuala_Lumpur",
    )
    assert body["threshold_minutes"] == att_event.attendance_threshold_minutes == 10
    assert [
        (m["full_name"], m["matched_by"], m["minutes"], m["attended"])
        for m in body["matched"]
    ] == [
        ("Ana Ferreira", "email", 0, False),
        ("Lukas Becker", "email", 6, False),
        ("Nurul Huda", "name", 100, True),
        ("Siti Aminah", "email", 115, True),
        ("Tan Wei Ming", "email", 127, True),
    ]
    siti = next(m for m in body["matched"] if m["full_name"] == "Siti Aminah")
    assert siti["registration_id"] == registrants["Siti Aminah"].id
    assert [p["minutes"] for p in siti["people"]] == [115]  # two joins, one person
    assert [(r["full_name"], r["status"], r["minutes"]) for r in body["refused"]] == [
        ("Marta Kowalska", "pending", 126),
        ("Rajesh Kumar", "cancelled", 0),
    ]
    assert all("only confirmed registrants" in r["reason"] for r in body["refused"])
    assert [(p["name"], p["role"]) for p in body["unmatched"]] == [
        ("Consult Organiser", "host"),
        ("Guest 2291", "attendee"),
    ]
    assert [a["full_name"] for a in body["absent"]] == [
        "Elodie  MARTIN",
        "Jan de Vries",
        "Lee Hyun-woo",
        "Park Ji-woo",
    ]
    assert body["attended_count"] == 3 and body["previous_import"] is None
    assert untouched(registrants)
    assert imports() == 0 and deliveries() == []
    assert db.session.get(Event, att_event.id).attendance_completed_at is None


def test_applying_marks_records_completes_and_announces_once(
    api, att_event, registrants, organiser, hook, now
):
    response = upload(api, att_event)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["applied"] is True and body["attended_count"] == 3
    record = db.session.get(AttendanceImport, body["record"]["id"])
    assert (record.source, record.filename, record.matched, record.unmatched) == (
        "zoom",
        ZOOM,
        5,
        2,
    )
    assert record.imported_by_id == organiser.id
    assert body["record"]["imported_at"] == record.imported_at.isoformat()
    assert state(registrants) == {
        **{name: (False, None) for name in registrants},
        "Siti Aminah": (True, 115),
        "Tan Wei Ming": (True, 127),
        "Lukas Becker": (False, 6),
        "Nurul Huda": (True, 100),
        "Ana Ferreira": (False, 0),
    }
    db.session.refresh(att_event)
    assert att_event.attendance_completed_via == "import"
    assert deliveries() == ["attendance.imported"]

    # Read back: the same people, the import listed.
    read = api("GET", url(att_event)).get_json()
    assert read["totals"]["attended"] == 3
    assert [i["id"] for i in read["imports"]] == [record.id]
    assert read["completed_at"] == att_event.attendance_completed_at.isoformat()

    # The same file again changes nothing and logs nothing, as on the page.
    again = upload(api, att_event)
    assert again.status_code == 200
    assert again.get_json()["record"]["id"] == record.id
    assert again.get_json()["previous_import"]["id"] == record.id
    assert imports() == 1 and deliveries() == ["attendance.imported"]


def test_a_second_report_keeps_the_longest_time(api, att_event, registrants):
    assert upload(api, att_event).status_code == 201
    teams = upload(api, att_event, TEAMS, zone="Europe/Paris")
    assert teams.status_code == 201, teams.get_json()
    now_state = state(registrants)
    assert now_state["Jan de Vries"] == (True, 124)
    assert now_state["Siti Aminah"] == (True, 115)
    assert imports() == 2


def test_the_threshold_defaults_to_the_events_and_may_be_given(
    api, att_event, registrants
):
    att_event.attendance_threshold_minutes = 120
    db.session.commit()
    preview = upload(api, att_event, dry_run="true").get_json()
    assert preview["threshold_minutes"] == 120
    assert [m["full_name"] for m in preview["matched"] if m["attended"]] == [
        "Tan Wei Ming"
    ]
    given = upload(api, att_event, dry_run="true", threshold_minutes="5").get_json()
    assert given["threshold_minutes"] == 5 and given["attended_count"] == 4


def test_a_report_of_another_day_is_flagged(api, att_event, registrants, now):
    day = (att_event.start_at + timedelta(days=3)).date()
    report = zoom_meeting(
        day, [("Siti Aminah", "siti.aminah@example.my", "16:00", "17:30", 90)]
    )
    body = upload(api, att_event, content=report, dry_run="true").get_json()
    assert body["stray_days"] == [day.isoformat()]


def test_rows_linked_by_hand_are_matched(api, att_event, registrants):
    preview = upload(api, att_event, dry_run="true").get_json()
    guest = next(p for p in preview["unmatched"] if p["name"] == "Guest 2291")
    lee = registrants["Lee Hyun-woo"]
    response = upload(api, att_event, links=[f"{guest['row']}:{lee.id}"])
    assert response.status_code == 201, response.get_json()
    linked = next(
        m for m in response.get_json()["matched"] if m["matched_by"] == "hand"
    )
    assert (linked["full_name"], linked["minutes"]) == ("Lee Hyun-woo", 48)
    assert state(registrants)["Lee Hyun-woo"] == (True, 48)


def test_a_link_to_someone_not_confirmed_is_refused_on_its_row(
    api, att_event, registrants
):
    rajesh = registrants["Rajesh Kumar"]  # cancelled
    response = upload(api, att_event, links=[f"1:{rajesh.id}"])
    assert response.status_code == 422
    assert "not a confirmed registrant" in response.get_json()["errors"]["links.1"][0]
    assert untouched(registrants) and imports() == 0


@pytest.mark.parametrize(
    ("name", "content", "fields", "field", "words"),
    [
        ("not-a-report.csv", None, {}, "report", "does not look like a Zoom"),
        ("empty.csv", b"", {}, "report", "does not look like a Zoom"),
        (
            "bad-line.csv",
            b"Name (Original Name),User Email,Join Time,Leave Time,"
            b"Duration (Minutes),Guest\nSiti Aminah,siti.aminah@example.my,"
            b"12/15/2026 04:01 PM,12/15/2026 05:02 PM,sixty,Yes\n",
            {},
            "report",
            'line 2, column "Duration (Minutes)"',
        ),
        (ZOOM, None, {"zone": "Mars/Olympus"}, "zone", "time zone"),
        (ZOOM, None, {"threshold_minutes": "-1"}, "threshold_minutes", ""),
        (ZOOM, None, {"links": "guest:3"}, "links.0", "<row>:<registration id>"),
        (ZOOM, None, {"surprise": "1"}, "surprise", ""),
    ],
)
def test_bad_uploads_are_422_with_the_reason_and_change_nothing(
    api, att_event, registrants, hook, name, content, fields, field, words
):
    response = upload(api, att_event, name, content=content, **fields)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert field in errors and words in " ".join(errors[field])
    assert untouched(registrants) and imports() == 0 and deliveries() == []


def test_a_report_over_2_mb_is_refused(api, att_event, registrants):
    """Encoded here: the test client would spool a large body to a temporary
    file it never closes."""
    boundary = "attendanceboundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="report"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body += (DATA / ZOOM).read_bytes().ljust(2 * 1024 * 1024 + 1, b"\n")
    body += f"\r\n--{boundary}--\r\n".encode()
    response = api(
        "POST",
        url(att_event, "/imports"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert "larger than 2 MB" in response.get_json()["errors"]["report"][0]
    assert untouched(registrants) and imports() == 0


def test_an_upload_without_a_file_is_422(api, att_event, registrants):
    for data in ({}, {"report": "siti,aminah"}):
        response = api(
            "POST",
            url(att_event, "/imports"),
            data=data,
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert "report" in response.get_json()["errors"]
    as_json = api("POST", url(att_event, "/imports"), json={"dry_run": True})
    assert as_json.status_code == 422
    assert imports() == 0


# ---- who may ------------------------------------------------------------


def test_another_organisers_token_gets_404_and_changes_nothing(
    client, api, att_event, registrants, other_organiser, now
):
    secret = make_token(other_organiser, now)
    assert client.get(url(att_event), headers=bearer(secret)).status_code == 404
    response = upload(api, att_event, secret=secret)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert untouched(registrants) and imports() == 0


def test_a_co_organiser_and_an_admin_may(
    client, api, att_event, registrants, make_user, now
):
    from consult.events.services.organisers import add_co_organiser

    colleague = make_user("colleague@example.org")
    add_co_organiser(att_event, att_event.owner, colleague.email, now=now)
    db.session.commit()
    admin = make_user("root@example.org", role="admin")
    for user in (colleague, admin):
        secret = make_token(user, now)
        assert client.get(url(att_event), headers=bearer(secret)).status_code == 200
        response = upload(api, att_event, secret=secret, dry_run="true")
        assert response.status_code == 200
    applied = upload(api, att_event, secret=make_token(colleague, now))
    assert applied.status_code == 201
    assert db.session.scalar(select(AttendanceImport.imported_by_id)) == colleague.id


@pytest.mark.parametrize(
    ("scopes", "method"),
    [
        (["events:read", "results:read", "registrations:write"], "GET"),
        (["registrations:read"], "POST"),
    ],
)
def test_scopes_are_enforced_before_anything_else(
    api, att_event, registrants, organiser, now, scopes, method
):
    secret = make_token(organiser, now, scopes=scopes)
    if method == "GET":
        response = api("GET", url(att_event), secret=secret)
    else:
        response = upload(api, att_event, secret=secret)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert untouched(registrants) and imports() == 0


def test_without_a_token_it_is_401(client, att_event, registrants):
    assert client.get(url(att_event)).status_code == 401
    response = client.post(
        url(att_event, "/imports"),
        data={"report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 401
    assert untouched(registrants) and imports() == 0


def test_the_attendance_of_an_erased_registrant_is_not_counted(
    api, att_event, registrants, organiser, make_registration, now
):
    from consult.registration.services.privacy import erase

    extra = make_registration(att_event)  # a seat taken, as erasing gives it back
    set_checked_in(att_event, extra.id, organiser, True, now=now)
    db.session.commit()
    assert api("GET", url(att_event)).get_json()["totals"]["attended"] == 1
    erase(db.session.get(Registration, extra.id), now=now)
    db.session.commit()
    body = api("GET", url(att_event)).get_json()
    assert body["totals"]["attended"] == 0
    assert extra.id not in [row["registration_id"] for row in body["items"]]


def test_an_applied_import_is_committed(client, token, att_event, registrants, hook):
    """For tests/test_route_effects.py: what the import wrote, as committed."""
    response = client.post(
        url(att_event, "/imports"),
        headers=bearer(token),
        data={"report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    record = committed_row(AttendanceImport, response.get_json()["record"]["id"])
    assert (record.source, record.matched) == ("zoom", 5)
    siti = committed_row(Registration, registrants["Siti Aminah"].id)
    assert (siti.attended, siti.attended_minutes) == (True, 115)
    assert committed_row(Event, att_event.id).attendance_completed_via == "import"
    assert committed().scalars(select(WebhookDelivery.kind)).all() == [
        "attendance.imported"
    ]
