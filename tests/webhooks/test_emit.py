"""Emitting facts: one delivery row per subscription that wants the kind,
in the caller's transaction, with no personal data in the body."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.services import RegistrationData, register
from consult.webhooks.models import WebhookDelivery
from consult.webhooks.services import emit
from consult.webhooks.services.subscriptions import pause_subscription
from tests.webhooks.conftest import deliveries


def _register(event, email, now):
    data = RegistrationData(
        full_name="Siti Aminah",
        email=email,
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )
    result = register(event, data, now=now)
    db.session.commit()
    return result


def test_a_registration_emits_created_and_confirmed(
    reg_event, receiver, subscribe, now
):
    sub = subscribe(reg_event, receiver)
    _register(reg_event, "siti@example.my", now)
    rows = deliveries(sub.id)
    assert [row.kind for row in rows] == [
        "registration.created",
        "registration.confirmed",
    ]
    body = json.loads(rows[0].body)
    assert body["kind"] == "registration.created"
    assert body["event"] == {"id": reg_event.id, "slug": reg_event.slug}
    assert body["data"]["status"] == "confirmed"
    assert body["occurred_at"].endswith("Z")
    assert body["id"] == rows[0].webhook_id
    # Ids and statuses only: no name, no address.
    assert "siti" not in rows[0].body.lower()
    assert "Aminah" not in rows[0].body


def test_only_the_kinds_selected_are_queued(reg_event, receiver, subscribe, now):
    sub = subscribe(reg_event, receiver, kinds=["registration.cancelled"])
    _register(reg_event, "siti@example.my", now)
    assert deliveries(sub.id) == []


def test_a_full_event_emits_waitlisted(
    make_reg_event, receiver, subscribe, make_registration, now
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    sub = subscribe(event, receiver)
    _register(event, "late@example.my", now)
    assert [row.kind for row in deliveries(sub.id)] == [
        "registration.created",
        "registration.waitlisted",
    ]


def test_a_rolled_back_transaction_queues_nothing(reg_event, receiver, subscribe, now):
    sub = subscribe(reg_event, receiver)
    data = RegistrationData(
        full_name="Rolled Back",
        email="back@example.my",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )
    register(reg_event, data, now=now)
    db.session.flush()
    pending = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub.id)
    ).all()
    assert len(pending) == 2  # inside the transaction, before it is undone
    db.session.rollback()
    assert deliveries(sub.id) == []


def test_a_paused_subscription_gets_nothing(
    reg_event, receiver, subscribe, organiser, now
):
    sub = subscribe(reg_event, receiver)
    pause_subscription(sub, organiser, now=now)
    db.session.commit()
    _register(reg_event, "siti@example.my", now)
    assert deliveries(sub.id) == []


def test_the_same_fact_is_queued_once(reg_event, receiver, subscribe, now):
    sub = subscribe(reg_event, receiver)
    fact = {"id": 7, "status": "confirmed"}
    assert emit(reg_event, "registration.confirmed", fact, now=now) == 1
    assert emit(reg_event, "registration.confirmed", fact, now=now) == 0
    db.session.commit()
    assert len(deliveries(sub.id)) == 1


def test_an_unknown_kind_is_a_programming_error(reg_event, now):
    with pytest.raises(ValueError):
        emit(reg_event, "registration.exploded", {"id": 1}, now=now)


def test_a_subscription_made_after_registrations_still_hears_the_next(
    reg_event, receiver, subscribe, organiser, now
):
    from consult.webhooks.services.subscriptions import resume_subscription

    _register(reg_event, "first@example.my", now)  # no webhook: remembered
    sub = subscribe(reg_event, receiver)
    _register(reg_event, "second@example.my", now)
    assert len(deliveries(sub.id)) == 2
    pause_subscription(sub, organiser, now=now)
    db.session.commit()
    _register(reg_event, "third@example.my", now)
    resume_subscription(sub, organiser, now=now)
    db.session.commit()
    _register(reg_event, "fourth@example.my", now)
    assert len(deliveries(sub.id)) == 4
