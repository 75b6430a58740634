"""Webhooks: an event's organisers subscribe an HTTPS address to its facts.

A service that changes something a subscriber may hear about calls
``services.emit`` in its own transaction: one delivery row per matching
subscription, with the JSON body built then (a rollback sends nothing). The
scheduler's ``deliver_webhooks`` job claims due rows, POSTs them signed
(``signing.py``), retries with backoff, and pauses a subscription that keeps
failing, emailing its owner. Receivers check the signature as docs/webhooks.md
shows.
"""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)
