"""Questions, votes and poll answers are limited per participant (their live
pass), not per address: two participants behind one address each get their
own allowance."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.live.models import LiveQuestion
from consult.registration.services.tokens import manage_token
from tests.conftest import make_app


def test_live_posts_are_limited_per_participant(
    database_url, tmp_path, open_now, people
):
    first, second = people(open_now, 2)
    slug = open_now.slug
    passes = [(r.id, manage_token(r)) for r in (first, second)]
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        LIVE_POST_RATE_LIMIT="2 per minute",
    )
    codes = {}
    for registration_id, token in passes:
        client = limited.test_client()  # the same address for both
        assert (
            client.get(f"/events/{slug}/registration/{token}/live").status_code == 302
        )
        codes[registration_id] = [
            client.post(
                f"/events/{slug}/live/questions", data={"text": f"Question {n}?"}
            ).status_code
            for n in range(3)
        ]
    assert list(codes.values()) == [[302, 302, 429], [302, 302, 429]], codes
    with limited.app_context():
        stored = db.session.scalar(select(func.count(LiveQuestion.id)))
        db.session.remove()
        db.engine.dispose()
    assert stored == 4
