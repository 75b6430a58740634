"""The webhook services: emitting facts, subscriptions, delivery."""

from consult.webhooks.services.emit import (
    anonymous_fact,
    emit,
    registration_kinds,
)

__all__ = ["anonymous_fact", "emit", "registration_kinds"]
