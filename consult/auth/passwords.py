"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 takes any length; this only bounds the work per request
MIN_SCORE = 2  # zxcvbn: 0-1 are guessable within 10^6 guesses

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, *, user_inputs: tuple[str, ...] = ()) -> list[str]:
    """Reasons the password is refused; an empty list means it is accepted.

    Common passwords (zxcvbn's list of 30,000 and its pattern checks: repeats,
    sequences, keyboard walks, dates, the user's own email) are refused.
    """
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(n)d characters.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(n)d characters.", n=MAX_LENGTH)]
    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or _(
            "This password is too easy to guess."
        )
        return [warning + " " + _("Choose a longer or less common password.")]
    return []
