"""The API's schemas of webhook subscriptions and their deliveries (the
resources of consult/api/routes/webhooks.py)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from consult.api.schemas import PageArgs, UTCDateTimeField
from consult.api.schemas_results import zone_field
from consult.webhooks.models import (
    DELIVERY_STATUSES,
    KINDS,
    PING,
    SUBSCRIPTION_STATUSES,
    URL_MAX,
)


class DeliveryCounts(ma.Schema):
    queued = fields.Integer(required=True)
    sending = fields.Integer(required=True)
    delivered = fields.Integer(required=True)
    failed = fields.Integer(required=True)


class Webhook(ma.Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    kinds = fields.List(fields.String(validate=validate.OneOf(KINDS)), required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(SUBSCRIPTION_STATUSES)
    )
    paused_reason = fields.String(
        required=True,
        validate=validate.OneOf(("", "failures", "failing_day")),
        metadata={
            "description": "'' (active, or paused by an organiser), 'failures' "
            "(too many failed deliveries in a row), 'failing_day' (24 hours)."
        },
    )
    paused_at = UTCDateTimeField(allow_none=True, required=True)
    consecutive_failures = fields.Integer(required=True)
    failing_since = UTCDateTimeField(allow_none=True, required=True)
    deliveries = fields.Nested(DeliveryCounts, required=True)
    created_at = UTCDateTimeField(required=True)
    updated_at = UTCDateTimeField(required=True)
    event_timezone = zone_field()


class NewWebhookSecret(Webhook):
    secret = fields.String(
        required=True,
        metadata={"description": "Signs every delivery. Shown this once only."},
    )


class WebhookList(ma.Schema):
    items = fields.List(fields.Nested(Webhook), required=True)


class NewWebhook(ma.Schema):
    """A subscription as on the organiser's Webhooks page."""

    class Meta:
        unknown = ma.RAISE

    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=URL_MAX),
        metadata={"description": "https:// to a public address."},
    )
    kinds = fields.List(
        fields.String(validate=validate.OneOf(KINDS)),
        required=True,
        validate=validate.Length(min=1, max=len(KINDS)),
    )


class Delivery(ma.Schema):
    id = fields.Integer(required=True)
    webhook_id = fields.String(
        required=True,
        metadata={"description": "Consult-Webhook-Id, the same on every attempt."},
    )
    kind = fields.String(required=True, validate=validate.OneOf((*KINDS, PING)))
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    attempts = fields.Integer(required=True)
    next_attempt_at = UTCDateTimeField(required=True)
    last_attempt_at = UTCDateTimeField(allow_none=True, required=True)
    last_status_code = fields.Integer(allow_none=True, required=True)
    last_response = fields.String(
        required=True,
        metadata={"description": "The first 500 bytes of the last answer."},
    )
    last_error = fields.String(required=True)
    last_duration_ms = fields.Integer(allow_none=True, required=True)
    delivered_at = UTCDateTimeField(allow_none=True, required=True)
    created_at = UTCDateTimeField(required=True)
    event_timezone = zone_field()


class DeliveryPage(ma.Schema):
    items = fields.List(fields.Nested(Delivery), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class DeliveryFilter(PageArgs):
    """Newest first; pages of `limit`."""
