"""When a platform call that failed is tried again."""

from __future__ import annotations

from datetime import datetime, timedelta

from consult.platforms.adapters.base import PlatformError

FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def next_try(error: PlatformError, attempts: int, *, now: datetime) -> datetime:
    """The platform's Retry-After when it gave one, else 1, 2, 4 … minutes
    (at most 6 hours) after the ``attempts``-th failure."""
    if error.retry_after is not None:
        return now + timedelta(seconds=max(error.retry_after, 1))
    delay = FIRST_DELAY * 2 ** max(attempts - 1, 0)
    return now + min(delay, LONGEST_DELAY)


def gives_up(error: PlatformError, attempts: int, max_attempts: int) -> bool:
    """A permanent refusal at once; a temporary one after ``max_attempts``.

    Being told to slow down (429) is not a failure of the row: it never
    counts towards giving up.
    """
    if error.permanent:
        return True
    return error.retry_after is None and attempts >= max_attempts
