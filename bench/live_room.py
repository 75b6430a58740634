"""The live room under its audience (issue 25, item 3): `make bench`'s `live` part.

    .venv/bin/python bench/live_room.py --pg postgresql://postgres@127.0.0.1:5432/consult_bench

500 confirmed participants (100 in quick mode) each ask for the room's state
(`/events/<slug>/live/state.json`, with the ETag they were last given) every
2 seconds, while 20 posts a second arrive from them: upvotes, new questions
and answers to the open poll. Votes are sent as the room's script sends them
(JSON, the page stays); a question or an answer is a form post followed by the
room's page it redirects to (the participant's own part is in the page, not in
the polled state). The schedule is open-loop (bench/open_loop.py):
each request's latency runs from the moment it was due. Served by the
benchmark's gunicorn (bench/surge.py) on PostgreSQL; the ceiling, hello world
on the same server configuration, is measured in the same run (wrk). Target:
reads' p99 under 250 ms, and nothing lost: every post answered as done is in
the database once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import open_loop  # noqa: E402
from common import make_app, normalised  # noqa: E402

LIVE_SLUG = "live-room-benchmark"
READ_PERIOD_S = 2.0
WRITES_PER_S = 20
TARGET_READ_P99_MS = 250
# Of every ten posts: six upvotes, two questions, two poll answers.
WRITE_MIX = ("vote",) * 6 + ("question",) * 2 + ("answer",) * 2
# When the page a post redirects to is due after the post.
PAGE_AFTER_POST_S = 0.1


def prepare_room(url: str, participants: int, questions: int = 20) -> dict:
    """The event in its live window: people confirmed, questions approved, a
    poll open; each person's manage token. Through the services, as pages do."""
    from dataset import DEMO_SLUG
    from sqlalchemy import select

    from consult.events.models import Event
    from consult.extensions import db
    from consult.live.services.polls import PollData, change_poll, create_poll
    from consult.live.services.questions import ask, moderate
    from consult.registration.services import RegistrationData, register
    from consult.registration.services.seats import ensure_stakeholder_types
    from consult.registration.services.tokens import manage_token
    from consult.timeutil import now_utc

    # Signed with the key the benchmark's gunicorn uses (bench/surge.py).
    app = make_app(url, SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-secret-key"))
    with app.app_context():
        now = now_utc()
        demo = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
        start = now + timedelta(days=1)
        event = Event(
            slug=LIVE_SLUG,
            title="Live room benchmark",
            summary="A synthetic webinar whose live room the benchmark loads.",
            description_md=demo.description_md,
            host_city="Petaling Jaya",
            host_country="Malaysia",
            timezone="Asia/Kuala_Lumpur",
            start_at=start,
            end_at=start + timedelta(hours=2),
            capacity=None,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=start,
            status="published",
            owner_id=demo.owner_id,
            created_at=now,
            updated_at=now,
            published_at=now,
        )
        db.session.add(event)
        db.session.flush()
        ensure_stakeholder_types(event)
        db.session.commit()
        people = []
        for n in range(participants):
            data = RegistrationData(
                full_name=f"Live Participant {n}",
                email=f"live-{n}@example.org",
                country="MY",
                timezone="Asia/Kuala_Lumpur",
                type_key=("government", "research", "civil_society", "private")[n % 4],
                consent_privacy=True,
            )
            people.append(register(event, data, now=now).registration)
            db.session.commit()
        # The webinar started a quarter of an hour ago: the room is open.
        event.start_at = now - timedelta(minutes=15)
        event.end_at = now + timedelta(hours=2)
        event.registration_closes_at = event.start_at
        db.session.commit()
        owner = event.owner
        asked = []
        for n in range(questions):
            question = ask(
                people[n], f"Benchmark question {n}?", anonymous=False, now=now
            )
            db.session.flush()
            moderate(owner, event, question.id, "approve", now=now)
            asked.append(question.id)
        poll = create_poll(
            owner,
            event,
            PollData(kind="single", prompt="Which first?", options=["One", "Two"]),
            now=now,
        )
        db.session.flush()
        change_poll(owner, event, poll.id, "launch", now=now)
        db.session.commit()
        return {
            "tokens": [manage_token(person) for person in people],
            "questions": asked,
            "poll": poll.id,
            "options": [option.id for option in poll.options],
        }


def _enter(server, token: str) -> str:
    """The participant's session cookie, from the manage link's entry."""
    answer = open_loop_send(
        server,
        open_loop.Request("GET", f"/events/{LIVE_SLUG}/registration/{token}/live"),
    )
    if answer.status != 302 or "set-cookie" not in answer.headers:
        raise RuntimeError(f"entering the room answered {answer.status}")
    return answer.headers["set-cookie"].split(";", 1)[0]


def open_loop_send(server, request):
    import asyncio

    return asyncio.run(open_loop.send("127.0.0.1", server.port, request))


def schedule(
    room: dict, cookies: list[str], seconds: float, seed: int = 7, writes: bool = True
):
    """Reads every 2 s per participant, WRITES_PER_S posts a second."""
    rng = random.Random(seed)
    etags = [""] * len(cookies)
    plan = []
    state = f"/events/{LIVE_SLUG}/live/state.json"

    def reader(n):
        def build():
            headers = {"Cookie": cookies[n]}
            if etags[n]:
                headers["If-None-Match"] = etags[n]
            return open_loop.Request("GET", state, headers, kind="read")

        def seen(answer):
            if answer.headers.get("etag"):
                etags[n] = answer.headers["etag"]

        return build, seen

    for n, times in enumerate(open_loop.every(READ_PERIOD_S, seconds, len(cookies))):
        build, seen = reader(n)
        plan += [(at, build, seen) for at in times]
    votes = [(p, q) for p in range(len(cookies)) for q in room["questions"]]
    rng.shuffle(votes)
    answering = list(range(len(cookies)))
    rng.shuffle(answering)
    done = {"vote": [], "question": [], "answer": []}
    posted = {"vote": 0, "question": 0, "answer": 0}
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def post(kind, n, path, fields):
        def build():
            body = urlencode(fields).encode()
            headers = {**form, "Cookie": cookies[n]}
            if kind == "vote":  # as the room's script sends it (static/js/live.js)
                headers["Accept"] = "application/json"
            return open_loop.Request("POST", path, headers, body, kind=f"write_{kind}")

        def seen(answer):
            if answer.status == (200 if kind == "vote" else 302):
                done[kind].append(n)

        return build, seen

    base = f"/events/{LIVE_SLUG}/live"

    def page(n):
        return lambda: open_loop.Request(
            "GET", base, {"Cookie": cookies[n]}, kind="page_after_post"
        )

    for k in range(int(seconds * WRITES_PER_S) if writes else 0):
        at = k / WRITES_PER_S
        kind = WRITE_MIX[k % len(WRITE_MIX)]
        if kind == "vote" and votes:
            n, question = votes.pop()
            build, seen = post(kind, n, f"{base}/questions/{question}/vote", {})
        elif kind == "answer" and answering:
            n = answering.pop()
            fields = {"option": str(rng.choice(room["options"]))}
            build, seen = post(kind, n, f"{base}/polls/{room['poll']}/answer", fields)
        else:
            kind = "question"
            n = rng.randrange(len(cookies))
            fields = {"text": f"A question from participant {n} at {k}?"}
            build, seen = post(kind, n, f"{base}/questions", fields)
        posted[kind] += 1
        plan.append((at, build, seen))
        if kind != "vote":
            # The browser follows the post's redirect: the room's page, with
            # the participant's own part (due a moment after the post).
            plan.append((at + PAGE_AFTER_POST_S, page(n), lambda answer: None))
    plan.sort(key=lambda item: item[0])
    return plan, done, posted


def stored(url: str, room: dict) -> dict:
    """What the database holds for the room after the run: votes, questions
    (beyond the ones prepared) and poll answers (the demo has a live session
    of its own on another event)."""
    from sqlalchemy import func, select

    from consult.events.models import Event
    from consult.extensions import db
    from consult.live.models import (
        LivePoll,
        LivePollAnswer,
        LiveQuestion,
        LiveQuestionVote,
    )

    app = make_app(url)
    with app.app_context():
        event_id = db.session.scalar(select(Event.id).where(Event.slug == LIVE_SLUG))
        count = db.session.scalar
        votes = count(
            select(func.count())
            .select_from(LiveQuestionVote)
            .join(LiveQuestion, LiveQuestion.id == LiveQuestionVote.question_id)
            .where(LiveQuestion.event_id == event_id)
        )
        questions = count(select(func.count()).where(LiveQuestion.event_id == event_id))
        answers = count(
            select(func.count())
            .select_from(LivePollAnswer)
            .join(LivePoll, LivePoll.id == LivePollAnswer.poll_id)
            .where(LivePoll.event_id == event_id)
        )
        return {
            "vote": votes,
            "question": questions - len(room["questions"]),
            "answer": answers,
        }


def run(url: str, mode: dict, log_dir: Path) -> dict:
    import surge

    participants = mode.get("live_participants", 500)
    seconds = mode.get("live_seconds", 30)
    room = prepare_room(url, participants)
    ceiling = surge.Server("ceiling_app", url, log_dir)
    consult = surge.Server("consult_app", url, log_dir, name="consult_app-live")
    try:
        ceiling.wait("/hello")
        consult.wait(f"/events/{LIVE_SLUG}")
        surge.wrk(ceiling.url("/hello"), 2)
        hello = surge.wrk(ceiling.url("/hello"), mode["seconds"])
        cookies = [_enter(consult, token) for token in room["tokens"]]
        # A short warm-up of the same shape (workers' caches, connections).
        warm, _, _ = schedule(
            room, cookies[: len(cookies) // 5], 2, seed=1, writes=False
        )
        open_loop.run(consult.url(""), warm)
        plan, done, posted = schedule(room, cookies, seconds)
        figures = open_loop.run(consult.url(""), plan)
    finally:
        ceiling.stop()
        consult.stop()
    in_database = stored(url, room)
    answered = {kind: len(people) for kind, people in done.items()}
    reads = figures["kinds"].get("read", {})
    return {
        "participants": participants,
        "seconds": seconds,
        "read_period_s": READ_PERIOD_S,
        "writes_per_s": WRITES_PER_S,
        "hello_world": hello,
        "load": figures,
        "posts_sent": posted,
        "posts_answered_done": answered,
        "posts_in_database": in_database,
        # Every post answered as done is stored, and nothing more than was
        # sent (a post the client gave up on may still have been stored).
        "nothing_lost": all(
            answered[kind] <= in_database[kind] <= posted[kind] for kind in posted
        ),
        "read_p99_ms": reads.get("p99_ms"),
        "read_p99_met": bool(reads) and reads["p99_ms"] < TARGET_READ_P99_MS,
    }


def main(argv=None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg", default="postgresql://postgres@127.0.0.1:5432/consult_bench"
    )
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args(argv)
    from run import prepare

    mode = {"seconds": 15, "capacity": 300, "live_participants": args.participants,
            "live_seconds": args.seconds}  # fmt: skip
    prepare(normalised(args.pg), mode)
    print(json.dumps(run(args.pg, mode, Path(tempfile.mkdtemp())), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def markdown(figures: dict, target_ms: float | None) -> list[str]:
    """The live room's table for the run's Markdown."""
    hello = figures["hello_world"]
    lines = [
        f"Live room: {figures['participants']} participants each reading the "
        f"room's state every {figures['read_period_s']:g} s, "
        f"{figures['writes_per_s']} posts a second, {figures['seconds']} s, "
        "open-loop (latency from when each request was due)",
        "",
        "| requests | done | per s | p50 ms | p95 ms | p99 ms | max ms | statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for kind, row in figures["load"]["kinds"].items():
        statuses = ", ".join(f"{k}: {v}" for k, v in row["statuses"].items())
        lines.append(
            f"| {kind} | {row['count']} | {row['per_s']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} | {statuses} |"
        )
    errors = figures["load"]["errors"] or "none"
    lines += [
        "",
        f"Ceiling, same run and server: hello world {hello['throughput_rps']} req/s "
        f"(wrk, 32 connections, p99 {hello['p99_ms']} ms). Socket errors: {errors}.",
        "",
        "| figure | value | target | met |",
        "|---|---:|---|---|",
        f"| reads' p99 | {figures['read_p99_ms']} ms | < {target_ms:g} ms | "
        f"{'yes' if figures['read_p99_met'] else '**no**'} |",
        f"| posts answered as done ≤ rows stored ≤ posts sent | "
        f"{figures['posts_answered_done']} ≤ {figures['posts_in_database']} ≤ "
        f"{figures.get('posts_sent')} | holds | "
        f"{'yes' if figures['nothing_lost'] else '**no**'} |",
        "",
    ]
    return lines
