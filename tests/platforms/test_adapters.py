"""The adapters against the fake Zoom, and Jitsi's tokens read back with PyJWT."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from consult.platforms.adapters import adapter_for
from consult.platforms.adapters.base import Meeting, MeetingSpec, Person, PlatformError
from consult.platforms.adapters.jitsi import JitsiAdapter
from tests.platforms.conftest import JITSI_SECRET


@pytest.fixture
def adapter(app):
    return adapter_for("zoom", app.config)


def _meeting(zoom, meeting_id="81234567890"):
    zoom.add_meeting(meeting_id)
    return Meeting("meeting", meeting_id, "")


def test_creating_a_meeting_sends_zoom_the_registration_settings(adapter, zoom, now):
    spec = MeetingSpec("meeting", "", "Circular cities", now, now + timedelta(hours=2))
    meeting = adapter.create_or_link(spec)
    created = zoom.meetings[meeting.meeting_id]
    assert created["settings"]["approval_type"] == 0
    assert created["type"] == 2 and created["duration"] == 120
    assert created["start_time"] == now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert meeting.shared_url == created["join_url"]
    token_call = zoom.calls_to("POST", r"^/oauth/token$")
    assert len(token_call) == 1


def test_a_webinar_is_created_under_webinars(adapter, zoom, now):
    spec = MeetingSpec("webinar", "", "Circular cities", now, now + timedelta(hours=1))
    meeting = adapter.create_or_link(spec)
    assert zoom.calls_to("POST", r"^/v2/users/me/webinars$")
    assert zoom.meetings[meeting.meeting_id]["type"] == 5


def test_linking_an_unknown_meeting_is_a_permanent_error_with_zoom_code(
    adapter, zoom, now
):
    spec = MeetingSpec("meeting", "89999999999", "x", now, now + timedelta(hours=1))
    with pytest.raises(PlatformError) as refused:
        adapter.create_or_link(spec)
    assert refused.value.permanent
    assert "3001" in refused.value.message
    assert "89999999999" in refused.value.message


def test_add_registrant_gives_a_personal_link_and_the_same_one_twice(
    adapter, zoom, now
):
    meeting = _meeting(zoom)
    person = Person("Siti Aminah binti Rahman", "siti@example.org")
    first = adapter.add_registrant(meeting, person, ends_at=now)
    again = adapter.add_registrant(meeting, person, ends_at=now)
    assert first.personal and first.join_url.startswith("https://zoom.example.test/w/")
    assert again == first
    assert len(zoom.active(meeting.meeting_id)) == 1
    _method, _path, body = zoom.calls_to("POST", r"/registrants$")[0]
    assert body == {
        "email": "siti@example.org",
        "first_name": "Siti",
        "last_name": "Aminah binti Rahman",
    }
    # One token for both calls: it is kept until it expires.
    assert zoom.tokens_issued == 1


def test_an_expired_token_is_fetched_again_once(adapter, zoom, now):
    meeting = _meeting(zoom)
    adapter.add_registrant(meeting, Person("A B", "a@example.org"), ends_at=now)
    zoom.expire_tokens()
    added = adapter.add_registrant(meeting, Person("C D", "c@example.org"), ends_at=now)
    assert added.registrant_id
    assert zoom.tokens_issued == 2
    refused = [c for c in zoom.calls if c[1].endswith("/registrants")]
    assert len(refused) == 3  # one 401, then the same call with the new token


def test_429_carries_retry_after(adapter, zoom, now):
    meeting = _meeting(zoom)
    zoom.fail(
        "POST",
        r"/registrants$",
        429,
        {"code": 429, "message": "You have reached the maximum per-second rate limit."},
        {"Retry-After": "7", "X-RateLimit-Type": "Per-second-Limit"},
    )
    with pytest.raises(PlatformError) as slowed:
        adapter.add_registrant(meeting, Person("A B", "a@example.org"), ends_at=now)
    assert slowed.value.retry_after == 7
    assert not slowed.value.permanent


def test_a_400_is_permanent_and_a_500_is_not(adapter, zoom, now):
    meeting = _meeting(zoom)
    zoom.fail("POST", r"/registrants$", 400, {"code": 300, "message": "Bad email."})
    with pytest.raises(PlatformError) as bad:
        adapter.add_registrant(meeting, Person("A B", "a@example.org"), ends_at=now)
    assert bad.value.permanent and "Bad email." in bad.value.message
    zoom.fail("POST", r"/registrants$", 503, {})
    with pytest.raises(PlatformError) as down:
        adapter.add_registrant(meeting, Person("A B", "a@example.org"), ends_at=now)
    assert not down.value.permanent


def test_cancel_sends_the_status_action_with_id_and_email(adapter, zoom, now):
    meeting = _meeting(zoom)
    added = adapter.add_registrant(meeting, Person("A B", "a@example.org"), ends_at=now)
    adapter.remove_registrant(meeting, added.registrant_id, "a@example.org")
    _m, _p, body = zoom.calls_to("PUT", r"/registrants/status$")[0]
    assert body == {
        "action": "cancel",
        "registrants": [{"id": added.registrant_id, "email": "a@example.org"}],
    }
    assert zoom.active(meeting.meeting_id) == {}


def test_participants_are_read_across_pages(adapter, zoom, now):
    meeting = _meeting(zoom)
    zoom.participants[meeting.meeting_id] = [
        {
            "id": f"p{n}",
            "name": f"Person {n}",
            "user_email": f"person{n}@example.org",
            "join_time": "2026-12-01T08:00:00Z",
            "leave_time": "2026-12-01T09:00:00Z",
            "duration": 3600,
        }
        for n in range(650)
    ]
    people = adapter.fetch_participants(meeting)
    assert len(people) == 650
    assert people[649].email == "person649@example.org"
    assert people[0].seconds == 3600 and people[0].join_time.tzinfo is not None
    pages = zoom.calls_to("GET", r"/report/meetings/")
    assert len(pages) == 3


def test_report_times_out_of_bounds_are_left_out(adapter, zoom, now):
    meeting = _meeting(zoom)
    zoom.participants[meeting.meeting_id] = [
        {"id": "p", "name": "Far Future", "user_email": "f@example.org",
         "join_time": "9999-12-31T23:59:59Z", "leave_time": "not a time",
         "duration": 60},
    ]  # fmt: skip
    [person] = adapter.fetch_participants(meeting)
    assert (person.join_time, person.leave_time, person.seconds) == (None, None, 60)


def test_wrong_credentials_are_reported(app, zoom, now):
    app.config["ZOOM_CLIENT_SECRET"] = "wrong"
    adapter = adapter_for("zoom", app.config)
    with pytest.raises(PlatformError) as refused:
        adapter.add_registrant(
            _meeting(zoom), Person("A B", "a@example.org"), ends_at=now
        )
    assert "credentials" in refused.value.message


def test_jitsi_token_carries_the_person_the_room_and_the_expiry(app, now):
    adapter = JitsiAdapter(app.config)
    meeting = adapter.create_or_link(
        MeetingSpec("room", "circular-pj", "x", now, now + timedelta(hours=2))
    )
    ends = now + timedelta(hours=4)
    added = adapter.add_registrant(
        meeting, Person("Tan Wei Ming", "tan@example.org"), ends_at=ends
    )
    assert added.personal
    url, _sep, token = added.join_url.partition("?jwt=")
    assert url == "https://meet.example.test/circular-pj"
    assert jwt.get_unverified_header(token)["kid"] == "key-1"
    claims = jwt.decode(
        token,
        JITSI_SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False},
    )
    assert claims["iss"] == "consult"
    assert claims["room"] == "circular-pj"
    assert claims["sub"] == "meet.example.test"
    assert claims["exp"] == int(ends.timestamp())
    assert claims["context"]["user"] == {
        "name": "Tan Wei Ming",
        "email": "tan@example.org",
        "moderator": False,
    }
    assert claims["moderator"] is False
    host = adapter.token(
        "circular-pj", Person("Org", "o@example.org", True), ends_at=ends
    )
    assert jwt.decode(
        host, JITSI_SECRET, algorithms=["HS256"], audience="jitsi",
        options={"verify_exp": False},
    )["context"]["user"]["moderator"] is True  # fmt: skip
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "another secret, also of 32 bytes or more",
            algorithms=["HS256"],
            audience="jitsi",
        )


def test_jitsi_without_token_auth_gives_the_shared_room_link(app, now):
    app.config["JITSI_APP_SECRET"] = ""
    adapter = JitsiAdapter(app.config)
    meeting = adapter.create_or_link(
        MeetingSpec("room", "open-room", "x", now, now + timedelta(hours=1))
    )
    added = adapter.add_registrant(meeting, Person("A", "a@example.org"), ends_at=now)
    assert not added.personal
    assert added.join_url == "https://meet.example.test/open-room"
    assert not adapter.personal_links
    with pytest.raises(PlatformError):
        adapter.fetch_participants(meeting)
