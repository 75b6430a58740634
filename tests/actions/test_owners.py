"""An action's owner: named by an editor, sent a personal link, removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.actions.services.owners import (
    OwnerData,
    remove_owner,
    resend_owner_link,
    set_owner,
)
from consult.actions.services.tokens import action_from_owner_token, owner_token
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.notifications.composers import compose
from consult.notifications.models import OutboundEmail


def _keys() -> list[str]:
    return list(
        db.session.scalars(select(OutboundEmail.dedup_key).order_by(OutboundEmail.id))
    )


def test_a_new_owner_gets_their_link_in_their_language(owned, outbox):
    action = owned.action
    [email] = outbox()
    assert email.recipient == "siti@example.org"
    assert email.dedup_key == f"action-owner:{action.id}:{action.owner_nonce}"
    composed = compose(email, now=email.created_at)
    assert composed.language == "ms"
    assert composed.subject == "Pautan anda untuk melaporkan “Food waste pilot”"
    assert "Anda ialah pemilik tindakan" in composed.body_text
    assert "Food waste pilot" in email.subject
    assert "Petaling Jaya" in email.body_text
    link = f"/actions/owner/{owner_token(action)}"
    assert link in email.body_text
    assert action_from_owner_token(owner_token(action)).id == action.id


def test_english_owner_gets_english(world, organiser, now, outbox):
    set_owner(
        world.action,
        organiser,
        OwnerData(name="Ana", email="ana@example.org", language="en"),
        now=now,
    )
    db.session.commit()
    [email] = outbox()
    assert compose(email, now=now).language == "en"
    assert email.subject == "Your link to report on “Food waste pilot”"


def test_a_changed_address_kills_old_links_and_sends_a_new_one(
    owned, organiser, now, outbox
):
    action = owned.action
    old_token = owner_token(action)
    set_owner(
        action,
        organiser,
        OwnerData(name="Budi", email="budi@example.org", language="id"),
        now=now + timedelta(minutes=5),
    )
    db.session.commit()
    with pytest.raises(NotFound):
        action_from_owner_token(old_token)
    rows = outbox()
    # The first owner's link, not sent yet, is withdrawn: it no longer works.
    assert [r.recipient for r in rows if r.composed_at] == ["budi@example.org"]
    assert compose(rows[-1], now=now).language == "id"
    assert owner_token(action) in rows[-1].body_text


def test_the_same_address_changes_name_and_language_without_a_new_link(
    owned, organiser, now
):
    action = owned.action
    token = owner_token(action)
    set_owner(
        action,
        organiser,
        OwnerData(name="Siti A.", email="SITI@example.org", language="en"),
        now=now,
    )
    db.session.commit()
    assert owner_token(action) == token
    assert action.owner_name == "Siti A." and action.owner_language == "en"
    assert len(_keys()) == 1


def test_every_problem_is_reported_and_nothing_changes(world, organiser, now):
    with pytest.raises(ValidationFailed) as caught:
        set_owner(
            world.action,
            organiser,
            OwnerData(name="", email="not an address", language="xx"),
            now=now,
        )
    fields = {field for field, _message in caught.value.problems}
    assert fields == {"name", "email", "language"}
    db.session.rollback()
    assert world.action.owner_email == "" and _keys() == []


def test_only_plan_editors_name_owners(world, other_organiser, now):
    with pytest.raises(PermissionDenied):
        set_owner(
            world.action,
            other_organiser,
            OwnerData(name="X", email="x@example.org", language="en"),
            now=now,
        )


def test_an_admin_may_name_the_owner(world, admin, now):
    set_owner(
        world.action,
        admin,
        OwnerData(name="X", email="x@example.org", language="en"),
        now=now,
    )
    assert world.action.owner_email == "x@example.org"


def test_the_link_is_sent_again_once_a_day(owned, organiser, now, outbox):
    action = owned.action
    resend_owner_link(action, organiser, now=now)
    db.session.commit()
    with pytest.raises(Conflict):
        resend_owner_link(action, organiser, now=now + timedelta(hours=1))
    db.session.rollback()
    resend_owner_link(action, organiser, now=now + timedelta(days=1))
    db.session.commit()
    rows = outbox()
    assert len(rows) == 3
    assert all(owner_token(action) in r.body_text for r in rows)


def test_removing_the_owner_revokes_the_link(owned, organiser, now, outbox):
    action = owned.action
    token = owner_token(action)
    remove_owner(action, organiser, now=now)
    db.session.commit()
    assert action.owner_email == "" and action.owner_name == ""
    with pytest.raises(NotFound):
        action_from_owner_token(token)
    # The link email still queued is withdrawn rather than sent.
    assert [r.composed_at for r in outbox()] == [None]
    with pytest.raises(Conflict):
        resend_owner_link(action, organiser, now=now)
