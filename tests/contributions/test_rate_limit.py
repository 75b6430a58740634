"""Proposal submissions and edits are rate-limited per client address."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.contributions.models import Proposal
from consult.contributions.services import proposal_token
from consult.extensions import db
from tests.conftest import make_app
from tests.contributions.test_pages import form_data


def test_proposal_posts_are_limited_per_address(
    database_url, tmp_path, cb_event, make_proposal
):
    slug = cb_event.slug
    token = proposal_token(make_proposal(cb_event))
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        CONTRIBUTION_RATE_LIMIT="2 per minute",
    )
    client = limited.test_client()
    codes = [
        client.post(
            f"/events/{slug}/contribute",
            data=form_data(proposer_email=f"p{n}@example.eu"),
        ).status_code
        for n in range(3)
    ]
    assert codes[:2] == [302, 302] and codes[2] == 429, codes
    edits = [
        client.post(
            f"/events/{slug}/proposals/{token}/edit", data=form_data()
        ).status_code
        for _ in range(3)
    ]
    assert edits[:2] == [302, 302] and edits[2] == 429, edits
    with limited.app_context():
        stored = db.session.scalar(select(func.count(Proposal.id)))
        db.session.remove()
        db.engine.dispose()
    assert stored == 3  # the fixture's and two accepted submissions
