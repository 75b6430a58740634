"""A busy room: a worker that read the room's version less than
LIVE_STATE_SETTLE_SECONDS ago serves that version's document without asking
the database; then it reads the current one. The document is the same for
every participant, so the polls in between cost no query at all."""

from __future__ import annotations

from sqlalchemy import event as sa_event

from consult.extensions import db
from consult.live.routes import helpers
from consult.live.services.questions import ask, moderate
from consult.registration.services.organiser import cancel_for_registrant


def _room(event) -> str:
    return f"/events/{event.slug}/live"


class _Statements:
    """The SQL statements the application's engine runs while active."""

    def __init__(self):
        self.seen = []

    def _note(self, conn, cursor, statement, *args):
        self.seen.append(statement)

    def __enter__(self):
        sa_event.listen(db.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc):
        sa_event.remove(db.engine, "before_cursor_execute", self._note)


def _approved(event, registration, organiser, text, now):
    question = ask(registration, text, anonymous=False, now=now)
    moderate(organiser, event, question.id, "approve", now=now)
    db.session.commit()
    return question


def test_the_document_settles_then_follows_the_room(
    app, client, open_now, people, enter, organiser, now, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(helpers.time, "monotonic", lambda: clock[0])
    app.config["LIVE_STATE_SETTLE_SECONDS"] = 1.0
    asker, reader = people(open_now, 2)
    enter(client, reader)
    url = f"{_room(open_now)}/state.json"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.get_json()["room"]["questions"] == []

    # A question shows; half a second later this worker still serves the
    # version it read, without a single query (a 304 for the browser that
    # has it, the kept bytes for another).
    _approved(open_now, asker, organiser, "Settled?", now)
    clock[0] += 0.5
    with _Statements() as statements:
        settled = client.get(url, headers={"If-None-Match": etag})
        again = client.get(url)
    assert settled.status_code == 304
    assert again.status_code == 200 and again.get_json()["room"]["questions"] == []
    assert statements.seen == []

    # A second after it read the version, it reads the current one.
    clock[0] += 0.6
    current = client.get(url, headers={"If-None-Match": etag})
    assert current.status_code == 200 and current.headers["ETag"] != etag
    assert [q["text"] for q in current.get_json()["room"]["questions"]] == ["Settled?"]


def test_a_cancelled_pass_stops_reading_the_room_within_the_recheck(
    app, client, open_now, people, enter, organiser, now, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(helpers.time, "monotonic", lambda: clock[0])
    app.config["LIVE_STATE_SETTLE_SECONDS"] = 1.0
    (reader,) = people(open_now, 1)
    enter(client, reader)
    url = f"{_room(open_now)}/state.json"
    assert client.get(url).status_code == 200
    cancel_for_registrant(open_now, reader.id, organiser, now=now)
    db.session.commit()
    clock[0] += helpers.PASS_RECHECK_SECONDS - 1
    assert client.get(url).status_code == 200  # trusted for a while ...
    clock[0] += 2
    assert client.get(url).status_code == 403  # ... then read again


def test_without_a_settle_window_every_change_is_served_at_once(
    app, client, open_now, people, enter, organiser, now
):
    assert app.config["LIVE_STATE_SETTLE_SECONDS"] == 0  # the tests' setting
    asker, reader = people(open_now, 2)
    enter(client, reader)
    url = f"{_room(open_now)}/state.json"
    etag = client.get(url).headers["ETag"]
    _approved(open_now, asker, organiser, "At once?", now)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert [q["text"] for q in changed.get_json()["room"]["questions"]] == ["At once?"]


def test_a_cancelled_pass_is_refused_at_once_without_a_settle_window(
    client, open_now, people, enter, organiser, now
):
    (reader,) = people(open_now, 1)
    enter(client, reader)
    url = f"{_room(open_now)}/state.json"
    assert client.get(url).status_code == 200
    cancel_for_registrant(open_now, reader.id, organiser, now=now)
    db.session.commit()
    assert client.get(url).status_code == 403


def test_hidden_and_merged_questions_are_named_by_id_only(
    client, open_now, people, enter, organiser, now
):
    asker, reader = people(open_now, 2)
    enter(client, reader)
    hidden = ask(asker, "Please hide me?", anonymous=False, now=now)
    moderate(organiser, open_now, hidden.id, "hide", now=now)
    db.session.commit()
    document = client.get(f"{_room(open_now)}/state.json")
    assert document.get_json()["room"]["removed"] == [hidden.id]
    assert b"Please hide me?" not in document.data
