"""Calendar files run a fixed number of queries, whatever the agenda or the feed's size.

Counts, not times: a feed once ran about ten queries per event (each event,
its sessions, each session's speakers).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event as sa_event

from consult.calendar.feeds import feed_token
from consult.events.services import SessionData, SpeakerData, add_session
from consult.extensions import db
from tests.clock import wall


def _with_agenda(event, organiser, now, sessions: int) -> None:
    for n in range(sessions):
        start = wall(21, 16) + timedelta(minutes=10 * n)
        add_session(
            event,
            organiser,
            SessionData(
                title=f"Session {n}",
                start=start,
                end=start + timedelta(minutes=10),
                speakers=[
                    SpeakerData(name=f"Speaker {n}a"),
                    SpeakerData(f"Speaker {n}b"),
                ],
            ),
            now=now,
        )
    db.session.commit()


def _queries(client, url: str) -> tuple[int, bytes]:
    """The statements one request runs, from a new transaction, nothing cached."""
    db.session.commit()  # also expires every loaded object
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.data


def test_feed_queries_do_not_grow_with_its_events(
    client, make_reg_event, make_registration, organiser, now
):
    first = make_reg_event(title="Webinar 0")
    _with_agenda(first, organiser, now, 3)
    mine = make_registration(first, email="ana@example.org")
    url = f"/calendar/feed/{feed_token(mine)}.ics"
    one, _ = _queries(client, url)
    for n in range(1, 4):
        event = make_reg_event(title=f"Webinar {n}")
        _with_agenda(event, organiser, now, 3)
        make_registration(event, email="ana@example.org")
    four, data = _queries(client, url)
    assert data.count(b"BEGIN:VEVENT") == 4
    assert b"Speaker 2b" in data.replace(b"\r\n ", b"")
    assert four == one


def test_event_file_queries_do_not_grow_with_its_sessions(
    client, make_reg_event, organiser, now
):
    small = make_reg_event(title="Short agenda")
    _with_agenda(small, organiser, now, 2)
    large = make_reg_event(title="Long agenda")
    _with_agenda(large, organiser, now, 12)
    few, _ = _queries(client, f"/events/{small.slug}/calendar.ics?sessions=1")
    many, data = _queries(client, f"/events/{large.slug}/calendar.ics?sessions=1")
    assert data.count(b"BEGIN:VEVENT") == 13
    assert b"Speaker 11b" in data.replace(b"\r\n ", b"")
    assert many == few
