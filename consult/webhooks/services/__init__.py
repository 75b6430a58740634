"""The webhook services: emitting facts, subscriptions, delivery."""

from consult.webhooks.services.emit import emit

__all__ = ["emit"]
