"""An event's webhook subscriptions: made, changed, paused and removed by its organisers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.webhooks.models import KINDS, WebhookDelivery, WebhookSubscription
from consult.webhooks.services.emit import ping
from consult.webhooks.signing import new_secret
from consult.webhooks.targets import check_url

DELIVERIES_SHOWN = 50


@dataclass(frozen=True)
class SubscriptionData:
    url: str
    kinds: tuple[str, ...]


def allow_local() -> bool:
    return bool(current_app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"])


def _checked(data: SubscriptionData) -> tuple[str, list[str]]:
    problems = Problems()
    url = data.url
    try:
        url = check_url(data.url, allow_local=allow_local())
    except ValidationFailed as exc:
        problems.add(exc.message, "url")
    kinds = [kind for kind in KINDS if kind in set(data.kinds)]
    if not kinds or len(kinds) != len(set(data.kinds)):
        problems.add(_("Choose at least one kind of event to send."), "kinds")
    problems.raise_any()
    return url, kinds


def subscriptions_of(event) -> list[WebhookSubscription]:
    """The event's subscriptions, oldest first."""
    return list(
        db.session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.event_id == event.id)
            .order_by(WebhookSubscription.id)
        )
    )


def subscription_of(event, subscription_id: int) -> WebhookSubscription:
    """One subscription of the event, or NotFound."""
    row = db.session.get(WebhookSubscription, subscription_id)
    if row is None or row.event_id != event.id:
        raise NotFound(_("No such webhook."))
    return row


def _announce_to_registrations(event) -> None:
    # A new active subscription must be seen by the next registration of every
    # process: the version its kept form data is checked against (emit.py).
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(registration_version=Event.registration_version + 1)
    )


def create_subscription(
    event, actor, data: SubscriptionData, *, now: datetime
) -> WebhookSubscription:
    """A new active subscription with a new secret (the caller shows it once)."""
    require_manager(actor, event)
    url, kinds = _checked(data)
    row = WebhookSubscription(
        event_id=event.id,
        owner_id=actor.id,
        url=url,
        kinds=kinds,
        secret=new_secret(),
        status="active",
        paused_reason="",
        consecutive_failures=0,
        created_at=now,
        updated_at=now,
    )
    db.session.add(row)
    _announce_to_registrations(event)
    db.session.flush()
    return row


def update_subscription(
    row: WebhookSubscription, actor, data: SubscriptionData, *, now: datetime
) -> None:
    """Change the address and the kinds; the secret stays."""
    require_manager(actor, row.event)
    row.url, row.kinds = _checked(data)
    row.updated_at = now
    db.session.flush()


def pause_subscription(row: WebhookSubscription, actor, *, now: datetime) -> None:
    """Stop sending; queued deliveries wait until it is resumed."""
    require_manager(actor, row.event)
    if row.status == "paused":
        raise Conflict(_("This webhook is paused already."))
    row.status, row.paused_at, row.paused_reason = "paused", now, ""
    row.updated_at = now
    db.session.flush()


def resume_subscription(row: WebhookSubscription, actor, *, now: datetime) -> None:
    """Send again, starting with what waited; the failure count starts afresh."""
    require_manager(actor, row.event)
    if row.status == "active":
        raise Conflict(_("This webhook is active already."))
    row.status, row.paused_at, row.paused_reason = "active", None, ""
    row.consecutive_failures, row.failing_since = 0, None
    row.updated_at = now
    _announce_to_registrations(row.event)
    db.session.flush()


def delete_subscription(row: WebhookSubscription, actor) -> None:
    """Remove the subscription and its deliveries."""
    require_manager(actor, row.event)
    db.session.delete(row)
    db.session.flush()


def send_ping(row: WebhookSubscription, actor, *, now: datetime) -> None:
    """Queue a test delivery (kind ``ping``) for the next run of the job."""
    require_manager(actor, row.event)
    if row.status != "active":
        raise Conflict(_("Resume this webhook before sending it a test."))
    ping(row, now=now)


def resend_delivery(
    row: WebhookSubscription, delivery_id: int, actor, *, now: datetime
) -> WebhookDelivery:
    """Queue a delivery again, same body and id, for a new round of attempts."""
    require_manager(actor, row.event)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != row.id:
        raise NotFound(_("No such delivery."))
    changed = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.status.in_(("delivered", "failed")),
        )
        .values(status="queued", attempts=0, next_attempt_at=now)
    ).rowcount
    if not changed:
        raise Conflict(_("This delivery is waiting to be sent already."))
    db.session.refresh(delivery)
    return delivery


def deliveries_of(
    row: WebhookSubscription,
    *,
    before_id: int | None = None,
    limit: int = DELIVERIES_SHOWN,
) -> list[WebhookDelivery]:
    """The subscription's latest deliveries, newest first; with ``before_id``,
    those older than that delivery (the API's next page)."""
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
    if before_id is not None:
        query = query.where(WebhookDelivery.id < before_id)
    return list(
        db.session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit))
    )


def delivery_counts(event) -> dict[int, dict[str, int]]:
    """Per subscription of the event: its deliveries counted by status."""
    rows = db.session.execute(
        select(
            WebhookDelivery.subscription_id,
            WebhookDelivery.status,
            func.count(),
        )
        .join(WebhookSubscription)
        .where(WebhookSubscription.event_id == event.id)
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for sub_id, status, n in rows:
        counts.setdefault(sub_id, {})[status] = n
    return counts
