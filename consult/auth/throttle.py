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
never locked out by someone else's failures. Once over the limit an address's
one try is claimed atomically before the password is checked, so requests sent
at the same moment cannot all slip through before any is counted; the right
password gives the claim back.

Password-reset requests use the same counts differently: they are limited per
(account, address), and past the account's limit the owner gets no further
email in the window while the page still says the same thing, so strangers can
neither flood the owner's inbox nor stop the owner asking for a link.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse

from consult.auth.services import normalise_email
from consult.errors import DomainError
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
    """The counting key of the account a login names, known or not.

    The address as the login itself reads it (``normalise_email``: full-width
    letters or an ideographic full stop in the domain name the same mailbox),
    so no other spelling of an address starts a fresh count.
    """
    try:
        return normalise_email(raw_email)[:254]
    except DomainError:
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


@dataclass
class Attempt:
    """One login attempt let through: whether its address's try is already counted."""

    account: str
    address: str
    claimed: bool = False


def admit(account: str, address: str) -> Attempt | None:
    """The attempt, or None when this address may not try this account now."""
    attempt = Attempt(account, address)
    if not account or not _enabled():
        return attempt
    if _count("failures", account) < _limit().amount:
        return attempt
    # Over the limit: one try per address, taken before the password is
    # checked. hit() counts and answers in one step, so of many requests sent
    # at once only the first is let through.
    if not limiter.limiter.hit(_item(1), *_ids("pair", account, address)):
        return None
    attempt.claimed = True
    return attempt


def retry_after(account: str, address: str) -> int:
    """Seconds until this address may try this account again."""
    stats = limiter.limiter.get_window_stats(_item(1), *_ids("pair", account, address))
    return max(1, math.ceil(stats.reset_time - time.time()))


def record_success(attempt: Attempt) -> None:
    """The right password: the address's claimed try is given back."""
    if attempt.claimed:
        limiter.limiter.clear(_item(1), *_ids("pair", attempt.account, attempt.address))


def record_failure(attempt: Attempt) -> Burst | None:
    """Count one failed login; the burst if the account is now at or over its limit."""
    account, address = attempt.account, attempt.address
    if not account or not _enabled():
        return None
    strategy = limiter.limiter
    # A claimed try was the address's first in the window (the claim succeeds
    # only then) and is counted already.
    new_address = attempt.claimed or not _has_failed(account, address)
    if new_address:
        strategy.hit(_item(_TALLY), *_ids("addresses", account))
    if not attempt.claimed:
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


def reset_mail_allowed(account: str) -> bool:
    """Whether a reset link may be mailed for this account now.

    Up to the account's limit per window, from any addresses together; past it
    the request is answered as usual and nothing is sent.
    """
    if not account or not _enabled():
        return True
    return limiter.limiter.hit(_limit(), *_ids("reset-mail", account))
