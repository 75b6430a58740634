"""Publishing the results several times at the same moment leaves one
publication and one version per publication, numbered without gaps, no error."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.auth.models import User
from consult.dashboard.models import ResultsPublication, ResultsVersion
from consult.dashboard.services.publication import publish_results
from consult.events.models import Event
from consult.extensions import db
from tests.conftest import FIXED_NOW
from tests.registration.test_concurrency import run_together


def test_concurrent_publications_make_one_row(app, reg_event, organiser, admin):
    event_id, people = reg_event.id, [organiser.id, admin.id] * 3

    def publishing(user_id, note):
        def job():
            event = db.session.get(Event, event_id)
            user = db.session.get(User, user_id)
            return publish_results(event, user, note=note, now=FIXED_NOW).id

        return job

    results, errors = run_together(
        app, [publishing(uid, f"note {i}") for i, uid in enumerate(people)]
    )
    assert not errors, errors
    assert len(set(results)) == 1
    count = db.session.scalar(select(func.count(ResultsPublication.id)))
    assert count == 1
    numbers = db.session.scalars(
        select(ResultsVersion.number).where(ResultsVersion.event_id == event_id)
    ).all()
    assert sorted(numbers) == list(range(1, len(people) + 1))
