"""Registration POSTs are rate-limited per client address."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.registration.models import Registration
from tests.conftest import make_app


def test_registration_posts_are_limited_per_address(
    database_url, tmp_path, reg_event, stype
):
    slug, type_key = reg_event.slug, stype(reg_event, "government").key
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        REGISTRATION_RATE_LIMIT="2 per minute",
    )
    client = limited.test_client()
    form = {
        "full_name": "Siti Aminah",
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "type_key": type_key,
        "role": "attendee",
        "consent_privacy": "y",
    }
    codes = [
        client.post(
            f"/events/{slug}/register", data={**form, "email": f"p{n}@example.my"}
        ).status_code
        for n in range(3)
    ]
    assert codes[2] == 429, codes
    assert all(code < 400 for code in codes[:2]), codes
    with limited.app_context():
        stored = db.session.scalar(select(func.count(Registration.id)))
        db.session.remove()
        db.engine.dispose()
    assert stored == 2  # the refused third submission stored nothing
