"""Personal API tokens: the service, and the account page that uses it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.api.services.tokens import (
    create_token,
    revoke_token,
    secret_hash,
    token_for_secret,
    tokens_of,
)
from consult.errors import NotFound, ValidationFailed
from consult.extensions import db
from tests.api.conftest import bearer, make_token


def test_a_token_is_stored_hashed_with_its_prefix(organiser, now):
    new = create_token(organiser, "CRM", ["events:read"], 30, now=now)
    db.session.commit()
    row = db.session.get(ApiToken, new.token.id)
    assert new.secret.startswith("cst_") and len(new.secret) > 40
    assert row.secret_hash == secret_hash(new.secret) != new.secret
    assert new.secret.startswith(row.prefix)
    assert new.secret not in (row.prefix, row.name)
    assert row.expires_at == now + timedelta(days=30)
    assert token_for_secret(new.secret, now=now).id == row.id


@pytest.mark.parametrize(
    ("name", "scopes", "days", "fields"),
    [
        ("", ["events:read"], None, {"name"}),
        ("x" * 101, ["events:read"], None, {"name"}),
        ("CRM", [], None, {"scopes"}),
        ("CRM", ["events:read", "everything"], None, {"scopes"}),
        ("CRM", ["events:read"], 0, {"days"}),
        ("CRM", ["events:read"], 367, {"days"}),
        ("", [], 0, {"name", "scopes", "days"}),
    ],
)
def test_bad_token_input_is_refused_together(
    organiser, now, name, scopes, days, fields
):
    with pytest.raises(ValidationFailed) as refused:
        create_token(organiser, name, scopes, days, now=now)
    assert {field for field, _ in refused.value.problems} == fields
    assert db.session.scalar(select(ApiToken.id)) is None


def test_revoked_expired_and_unknown_tokens_are_not_recognised(organiser, now):
    revoked = make_token(organiser, now)
    expiring = make_token(organiser, now, days=1)
    revoke_token(organiser, tokens_of(organiser)[-1].id, now=now)
    db.session.commit()
    assert token_for_secret(revoked, now=now) is None
    assert token_for_secret(expiring, now=now) is not None
    assert token_for_secret(expiring, now=now + timedelta(days=1)) is None
    assert token_for_secret("cst_unknown", now=now) is None
    assert token_for_secret("not-even-ours", now=now) is None


def test_a_deactivated_accounts_tokens_stop_working(organiser, now):
    secret = make_token(organiser, now)
    organiser.active = False
    db.session.commit()
    assert token_for_secret(secret, now=now) is None


def test_nobody_revokes_anothers_token(organiser, other_organiser, now):
    make_token(organiser, now)
    mine = tokens_of(organiser)[0]
    with pytest.raises(NotFound):
        revoke_token(other_organiser, mine.id, now=now)
    assert db.session.get(ApiToken, mine.id).revoked_at is None


def test_account_page_creates_shows_once_lists_and_revokes(client, login, organiser):
    login(organiser)
    account = client.get("/auth/account").get_data(as_text=True)
    assert "/auth/account/tokens" in account
    page = client.post(
        "/auth/account/tokens",
        data={"name": "CRM sync", "scopes": ["events:read", "registrations:read"]},
    )
    assert page.status_code == 200
    row = db.session.scalar(select(ApiToken))
    assert row.name == "CRM sync" and row.user_id == organiser.id
    assert row.scopes == ["events:read", "registrations:read"]
    html = page.get_data(as_text=True)
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret_hash(secret) == row.secret_hash
    listing = client.get("/auth/account/tokens").get_data(as_text=True)
    assert "CRM sync" in listing and row.prefix in listing
    assert secret not in listing  # shown once
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 200

    revoked = client.post(f"/auth/account/tokens/{row.id}/revoke")
    assert revoked.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is not None
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401


def test_account_page_refuses_bad_input_next_to_the_fields(client, login, organiser):
    login(organiser)
    page = client.post("/auth/account/tokens", data={"name": "", "days": "0"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="scopes-error"' in html
    assert 'id="days-error"' in html
    assert db.session.scalar(select(ApiToken.id)) is None


def test_revoking_anothers_token_from_the_page_is_404(
    client, login, organiser, other_organiser, now
):
    make_token(organiser, now)
    mine = tokens_of(organiser)[0]
    login(other_organiser)
    assert client.post(f"/auth/account/tokens/{mine.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, mine.id).revoked_at is None
