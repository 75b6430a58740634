"""Email address syntax, checked once per address per process.

A registration checks the same address three times (the form, the service,
the outbox), and `email_validator` is about a tenth of a millisecond each
time; the answer depends on nothing but the address, so it is kept.
"""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email


@lru_cache(maxsize=4096)
def email_syntax(address: str) -> tuple[str, str]:
    """(the normalised address, "") if valid, else ("", why not)."""
    try:
        return validate_email(address, check_deliverability=False).normalized, ""
    except EmailNotValidError as exc:
        return "", str(exc)
