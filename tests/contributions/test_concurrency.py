"""One rating per person and one agenda session per proposal, under real concurrency.

Workers are threads with their own app context (own session and connection),
started together by a barrier; runs on SQLite (file) and PostgreSQL.
"""

from sqlalchemy import func, select

from consult.contributions.models import Proposal, Rating
from consult.contributions.services import decide, rate
from consult.events.models import AgendaSession
from consult.extensions import db
from tests.clock import wall
from tests.conftest import FIXED_NOW
from tests.registration.test_concurrency import run_together

WORKERS = 6


def test_concurrent_ratings_by_one_reviewer_leave_one_rating(
    app, cb_event, make_proposal, make_reviewer
):
    proposal_id = make_proposal(cb_event).id
    reviewer_id = make_reviewer(cb_event).id

    def job(score):
        def _rate():
            from consult.auth.models import User

            proposal = db.session.get(Proposal, proposal_id)
            rate(proposal, db.session.get(User, reviewer_id), score, now=FIXED_NOW)

        return _rate

    _, errors = run_together(app, [job(1 + n % 5) for n in range(WORKERS)])
    assert errors == []
    count = db.session.scalar(
        select(func.count(Rating.id)).where(Rating.proposal_id == proposal_id)
    )
    assert count == 1


def test_concurrent_accepts_make_one_agenda_session(
    app, cb_event, make_proposal, organiser
):
    proposal_id = make_proposal(cb_event).id
    organiser_id = organiser.id

    def accept():
        from consult.auth.models import User

        proposal = db.session.get(Proposal, proposal_id)
        decide(
            proposal,
            db.session.get(User, organiser_id),
            "accepted",
            "Welcome",
            now=FIXED_NOW,
            start=wall(21, 16, 30),
        )

    _, errors = run_together(app, [accept for _ in range(WORKERS)])
    assert errors == []
    sessions = db.session.scalar(
        select(func.count(AgendaSession.id)).where(
            AgendaSession.event_id == cb_event.id
        )
    )
    assert sessions == 1
    proposal = db.session.get(Proposal, proposal_id)
    db.session.refresh(proposal)
    assert proposal.session_id is not None
