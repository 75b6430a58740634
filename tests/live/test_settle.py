"""A busy room: a worker serves the state document it built last while that
is younger than LIVE_STATE_SETTLE_SECONDS, then builds the current one."""

from __future__ import annotations

from consult.live.routes import helpers


def _room(event) -> str:
    return f"/events/{event.slug}/live"


def test_the_document_settles_then_follows_the_room(
    app, client, open_now, people, enter, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(helpers.time, "monotonic", lambda: clock[0])
    app.config["LIVE_STATE_SETTLE_SECONDS"] = 1.0
    asker, _other = people(open_now, 2)
    enter(client, asker)
    url = f"{_room(open_now)}/state.json"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.get_json()["me"]["mine"] == []

    # A question moves the version; half a second later this worker still
    # serves the document it built, under its own ETag (a 304 for the
    # browser that has it).
    client.post(f"{_room(open_now)}/questions", data={"text": "Settled?"})
    clock[0] += 0.5
    settled = client.get(url, headers={"If-None-Match": etag})
    assert settled.status_code == 304

    # Once the document is a second old, the current one is built.
    clock[0] += 0.6
    current = client.get(url, headers={"If-None-Match": etag})
    assert current.status_code == 200 and current.headers["ETag"] != etag
    assert [q["text"] for q in current.get_json()["me"]["mine"]] == ["Settled?"]


def test_without_a_settle_window_every_change_is_served_at_once(
    app, client, open_now, people, enter
):
    assert app.config["LIVE_STATE_SETTLE_SECONDS"] == 0  # the tests' setting
    asker, _other = people(open_now, 2)
    enter(client, asker)
    url = f"{_room(open_now)}/state.json"
    etag = client.get(url).headers["ETag"]
    client.post(f"{_room(open_now)}/questions", data={"text": "At once?"})
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
