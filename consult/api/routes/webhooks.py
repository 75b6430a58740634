"""An event's webhook subscriptions and their deliveries, as on its
Webhooks page: list, add (the secret answered once), read, pause, resume,
delete; the deliveries with their last answer, re-sent on request.

Every route needs a token whose owner manages the event; any other event is
404, before a request body is read.
"""

from __future__ import annotations

import functools

from flask.views import MethodView

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.routes.shapes import delivery_view, webhook_view
from consult.api.schemas_webhooks import (
    Delivery,
    DeliveryFilter,
    DeliveryPage,
    NewWebhook,
    NewWebhookSecret,
    Webhook,
    WebhookList,
)
from consult.api.services.queries import decode_cursor, encode_cursor, managed_event
from consult.extensions import db
from consult.timeutil import now_utc
from consult.webhooks.services import subscriptions as subs

blp = ApiBlueprint(
    "api_webhooks",
    __name__,
    url_prefix=PREFIX + "/events/<slug>/webhooks",
    description="Webhook subscriptions of an event you manage.",
)
ONE = "/<int:subscription_id>"


def managed_first(view):
    """404 for an event the token's owner does not manage, before the body is
    parsed: an outsider learns nothing, not even what a valid body is."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        managed_event(api_user(), kwargs["slug"])
        return view(*args, **kwargs)

    return checked


def _subscription(slug: str, subscription_id: int):
    event = managed_event(api_user(), slug)
    return event, subs.subscription_of(event, subscription_id)


def _view(event, row) -> dict:
    return webhook_view(row, event, subs.delivery_counts(event).get(row.id, {}))


@blp.route("")
@needs("webhooks:manage")
@blp.etag
@blp.response(200, WebhookList)
@document_errors(blp, 404)
def list_webhooks(slug: str):
    """The event's subscriptions, oldest first, with their deliveries counted
    by status (never their secrets)."""
    event = managed_event(api_user(), slug)
    counts = subs.delivery_counts(event)
    return {
        "items": [
            webhook_view(row, event, counts.get(row.id, {}))
            for row in subs.subscriptions_of(event)
        ]
    }


@blp.route("", methods=["POST"])
@needs("webhooks:manage")
@managed_first
@blp.arguments(NewWebhook)
@blp.response(201, NewWebhookSecret)
@document_errors(blp, 404)
def create_webhook(payload: dict, slug: str):
    """Subscribe an address to some kinds of facts, as the Webhooks page does:
    `https://` to a public address only (checked on its resolved addresses),
    at least one kind. The answer carries the signing `secret`: it is never
    shown again."""
    user = api_user()
    event = managed_event(user, slug)
    data = subs.SubscriptionData(payload["url"], tuple(payload["kinds"]))
    row = subs.create_subscription(event, user, data, now=now_utc())
    db.session.commit()
    return {**webhook_view(row, event, {}), "secret": row.secret}, 201


# One rule for both methods: with a rule per method, an id out of range (no
# match for DELETE's rule) would find GET's and answer 405 instead of 404.
@blp.route(ONE, endpoint="webhook")
class OneWebhook(MethodView):
    @needs("webhooks:manage")
    @blp.etag
    @blp.response(200, Webhook)
    @document_errors(blp, 404)
    def get(self, slug: str, subscription_id: int):
        """One subscription."""
        event, row = _subscription(slug, subscription_id)
        return _view(event, row)

    @needs("webhooks:manage")
    @blp.response(204)
    @document_errors(blp, 404)
    def delete(self, slug: str, subscription_id: int):
        """Remove the subscription and its deliveries."""
        _event, row = _subscription(slug, subscription_id)
        subs.delete_subscription(row, api_user())
        db.session.commit()


@blp.route(ONE + "/pause", methods=["POST"])
@needs("webhooks:manage")
@blp.response(200, Webhook)
@document_errors(blp, 404, 409)
def pause(slug: str, subscription_id: int):
    """Stop sending; what is queued waits until the subscription is resumed."""
    event, row = _subscription(slug, subscription_id)
    subs.pause_subscription(row, api_user(), now=now_utc())
    db.session.commit()
    return _view(event, row)


@blp.route(ONE + "/resume", methods=["POST"])
@needs("webhooks:manage")
@blp.response(200, Webhook)
@document_errors(blp, 404, 409)
def resume(slug: str, subscription_id: int):
    """Send again (a subscription paused by an organiser or for failures),
    starting with what waited; the failure count starts afresh."""
    event, row = _subscription(slug, subscription_id)
    subs.resume_subscription(row, api_user(), now=now_utc())
    db.session.commit()
    return _view(event, row)


@blp.route(ONE + "/deliveries")
@needs("webhooks:manage")
@blp.etag
@blp.arguments(DeliveryFilter, location="query", as_kwargs=True)
@blp.response(200, DeliveryPage)
@document_errors(blp, 404)
def deliveries(slug: str, subscription_id: int, cursor: str | None, limit: int):
    """The subscription's deliveries, newest first, with their status,
    attempts and the receiver's last answer; pages of `limit` with an opaque
    `next_cursor`."""
    event, row = _subscription(slug, subscription_id)
    before = decode_cursor(cursor) or None
    rows = subs.deliveries_of(row, before_id=before, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [delivery_view(delivery, event) for delivery in rows],
        "next_cursor": encode_cursor(rows[-1].id) if more and rows else None,
    }


@blp.route(ONE + "/deliveries/<int:delivery_id>/resend", methods=["POST"])
@needs("webhooks:manage")
@blp.response(200, Delivery)
@document_errors(blp, 404, 409)
def resend(slug: str, subscription_id: int, delivery_id: int):
    """Queue a delivered or failed delivery again: the same body and id, a
    new round of attempts (409 while it is still waiting to be sent)."""
    event, row = _subscription(slug, subscription_id)
    delivery = subs.resend_delivery(row, delivery_id, api_user(), now=now_utc())
    db.session.commit()
    return delivery_view(delivery, event)
