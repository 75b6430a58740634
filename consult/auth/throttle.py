"""Per-account login throttling that a stranger cannot turn into a lock-out.

Failed logins are counted per account (the address typed, known or not) and
per (account, client address), in the rate limiter's storage: with Redis (or
any shared ``RATELIMIT_STORAGE_URI``) every worker and host sees the same
counts. Once an account has had ``LOGIN_EMAIL_RATE_LIMIT`` failures in the
limit's window:

- a client address that failed on this account in that window is refused
  (429) until the window ends;
- an address without failures for this account may still try: the right
  password logs in, a wrong one makes that address refused too.

So a distributed guess gets at most one try per address per window once the
account is under attack (the per-address ``LOGIN_RATE_LIMIT`` still applies on
top), while the owner, typing the right password from their usual place, is
never locked out by someone else's failures.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse

from consult.extensions import limiter

# Tallies are counted with an amount no burst reaches, so they keep counting
# past the limit (a limit item stops reporting at zero remaining).
_TALLY = 10**9


@dataclass(frozen=True)
class Burst:
    """The account's failures in the current window, once over its limit."""

    failures: int
    addresses: int
    window_seconds: int


def account_key(raw_email: str | None) -> str:
    """The counting key of the account a login names, known or not."""
    return (raw_email or "").strip().lower()[:254]


def _enabled() -> bool:
    # The limiter object is shared by every app built in a process; this
    # app's own setting says whether it limits.
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.initialized


def _limit() -> RateLimitItem:
    config = current_app.config
    return parse(config.get("LOGIN_EMAIL_RATE_LIMIT") or config["LOGIN_RATE_LIMIT"])


def _item(amount: int) -> RateLimitItem:
    """An item with the account limit's window and another amount."""
    limit = _limit()
    return type(limit)(amount, limit.multiples, limit.namespace)


def _ids(kind: str, *parts: str) -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX") or "", "login", kind, *parts)


def _count(kind: str, account: str) -> int:
    tally = _item(_TALLY)
    stats = limiter.limiter.get_window_stats(tally, *_ids(kind, account))
    return tally.amount - stats.remaining


def _has_failed(account: str, address: str) -> bool:
    return not limiter.limiter.test(_item(1), *_ids("pair", account, address))


def refused(account: str, address: str) -> bool:
    """True when this address may not try this account now."""
    if not account or not _enabled():
        return False
    if _count("failures", account) < _limit().amount:
        return False
    return _has_failed(account, address)


def record_failure(account: str, address: str) -> Burst | None:
    """Count one failed login; the burst if the account is now at or over its limit."""
    if not account or not _enabled():
        return None
    strategy = limiter.limiter
    if not _has_failed(account, address):
        strategy.hit(_item(_TALLY), *_ids("addresses", account))
    strategy.hit(_item(1), *_ids("pair", account, address))
    strategy.hit(_item(_TALLY), *_ids("failures", account))
    failures = _count("failures", account)
    limit = _limit()
    if failures < limit.amount:
        return None
    return Burst(
        failures=failures,
        addresses=max(1, _count("addresses", account)),
        window_seconds=limit.get_expiry(),
    )
