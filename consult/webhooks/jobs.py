"""The webhooks' scheduled job (listed in ``consult.scheduler.JOBS``).

``deliver_webhooks`` is a unit-of-work edge: it commits the claim before any
request leaves (no lock or SQLite write transaction is held while a receiver
answers), then each outcome in its own short transaction, with the pause of a
subscription that keeps failing and its owner's email in the same one.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.services import queue_email
from consult.webhooks.services.delivery import (
    WebhookReport,
    claim_due,
    pause_if_failing,
    post,
    record,
    requeue_expired,
)
from consult.webhooks.signing import timestamp_of


def deliver_webhooks(*, now: datetime, limit: int | None = None) -> WebhookReport:
    """POST due deliveries, record each outcome, pause failing subscriptions."""
    config = current_app.config
    report = WebhookReport()
    report.requeued = requeue_expired(now=now)
    db.session.commit()
    claims = claim_due(now=now, limit=limit or config["WEBHOOK_BATCH_SIZE"])
    db.session.commit()
    report.claimed = len(claims)
    # One run lasts at most WEBHOOK_BATCH_SIZE x WEBHOOK_TIMEOUT_SECONDS, well
    # within receivers' timestamp tolerance (docs/webhooks.md: 5 minutes).
    for claim in claims:
        outcome = post(claim, now=now)
        result = record(claim, outcome, now=now)
        if result:
            setattr(report, result, getattr(report, result) + 1)
        if result and not outcome.delivered:
            paused = pause_if_failing(claim.subscription_id, now=now)
            if paused is not None:
                _tell_owner(paused, now=now)
                report.paused.append(paused.id)
        db.session.commit()
    return report


def _tell_owner(subscription, *, now: datetime) -> None:
    event = subscription.event
    # Its creator; the event's owner when that account is gone.
    owner = subscription.owner or event.owner
    if owner is None:
        return
    with composing_for(owner) as language:
        subject = _("A webhook of %(title)s was paused", title=event.title)
    queue_email(
        template="webhook_paused",
        to=owner.email,
        to_name=owner.name or "",
        subject=subject,
        context={
            "subscription": subscription,
            "event": event,
            "page_url": external_url(
                "webhooks.deliveries",
                slug=event.slug,
                subscription_id=subscription.id,
            ),
        },
        dedup_key=f"webhook-paused:{subscription.id}:{timestamp_of(now)}",
        now=now,
        event=event,
        language=language,
    )


def deliver_webhooks_job(*, now: datetime) -> str:
    """Send due webhook deliveries (``deliver_webhooks`` commits each outcome)."""
    return str(deliver_webhooks(now=now))
