"""The demo's finished live session (issue 25 item 6): the past scoping
webinar's questions with votes and three closed polls, on its dashboard and
report."""

from __future__ import annotations

from sqlalchemy import select

from consult.demo import seed_demo
from consult.demo.scoping import TITLE
from consult.events.models import Event
from consult.extensions import db
from consult.live.models import LivePoll, LivePollAnswer, LiveQuestion
from consult.live.services.summary import live_summary
from consult.registration.models import Registration


def _scoping():
    return db.session.scalar(select(Event).where(Event.title == TITLE))


def test_the_demo_has_a_finished_live_session(app, now, login, client):
    result = seed_demo(now=now)
    db.session.commit()
    consultation, event = result.event, _scoping()
    # The consultation is still ahead: the session is the scoping webinar's.
    assert consultation.start_at > now > event.end_at
    assert not live_summary(consultation).questions
    questions = db.session.scalars(
        select(LiveQuestion).where(LiveQuestion.event_id == event.id)
    ).all()
    kept = [q for q in questions if q.merged_into_id is None]
    assert 18 <= len(kept) <= 22
    assert sum(q.merged_into_id is not None for q in questions) == 1
    assert sum(q.state == "answered" for q in kept) >= 3
    assert sum(q.anonymous for q in kept) >= 2
    assert all(event.start_at <= q.created_at <= event.end_at for q in questions)
    polls = db.session.scalars(
        select(LivePoll).where(LivePoll.event_id == event.id).order_by(LivePoll.id)
    ).all()
    assert [(p.kind, p.state) for p in polls] == [
        ("single", "closed"),
        ("rating", "closed"),
        ("ranking", "closed"),
    ]
    attendees = db.session.scalar(
        select(db.func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.attended.is_(True)
        )
    )
    for poll in polls:
        answers = db.session.scalar(
            select(db.func.count(LivePollAnswer.id)).where(
                LivePollAnswer.poll_id == poll.id
            )
        )
        assert answers > attendees // 2
    summary = live_summary(event)
    groups = {q.asked_by for q in summary.questions}
    assert len(groups) >= 4
    assert summary.top_questions[0].votes >= summary.top_questions[-1].votes > 0

    login(result.organiser)
    top = summary.top_questions[0].text
    for page in ("dashboard", "report"):
        response = client.get(f"/manage/events/{event.slug}/{page}")
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert 'id="live-session"' in html
        assert top.replace("'", "&#39;") in html
        assert "Which of Petaling Jaya&#39;s challenges should come first?" in html
        # Groups only: no asker's name, anonymous or not.
        for q in questions:
            assert q.registration.full_name not in html.split('id="live-session"')[1]
