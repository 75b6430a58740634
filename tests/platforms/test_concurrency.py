"""Two scheduler runs at once (as during a leader hand-over) claim disjoint
rows: every registrant is added once, and told once. Real connections, one
per thread; on PostgreSQL the claims skip each other's locked rows."""

from __future__ import annotations

import threading

from consult.extensions import db
from consult.platforms.jobs import sync_platforms_job
from tests.platforms.helpers import join_link_emails, link_zoom, row_of


def _together(app, jobs):
    db.session.commit()
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            with app.app_context():
                barrier.wait(30)
                try:
                    job()
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "workers hung"
    return errors


def test_two_runs_at_once_add_each_registrant_once(
    app, zoom, reg_event, organiser, make_registration, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, reg_event, organiser, now, existing="81234567890")
    run_job(now)  # the meeting is checked
    people = [make_registration(reg_event) for _ in range(12)]
    errors = _together(app, [lambda: sync_platforms_job(now=now)] * 2)
    assert errors == []
    assert [row_of(p).state for p in people] == ["synced"] * 12
    assert len(zoom.calls_to("POST", r"/registrants$")) == 12
    assert len(zoom.active("81234567890")) == 12
    assert len(join_link_emails()) == 12
