"""The SECRET_KEY: checked in production, made once per install in development.

The key signs sessions, CSRF tokens and every emailed link (manage links,
calendar feeds, reset links). A constant development key would let anyone who
reads the source forge them on any install left on it, and a short key can be
guessed, so production refuses both and development makes its own.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from config import DEFAULT_SECRET_KEY

# 32 random bytes, written in URL-safe base64, are 43 characters.
MIN_LENGTH = 43
# A long key of a few repeated characters is not random.
MIN_DISTINCT = 10
FILE_NAME = "secret_key"
HOW_TO = (
    "set it to a long random value, e.g. the output of "
    "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
)


def problem(key: str | bytes | None) -> str | None:
    """Why ``key`` cannot sign production sessions and links, or None."""
    if not key:
        return f"SECRET_KEY is not set: {HOW_TO}"
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if text == DEFAULT_SECRET_KEY:
        return f"SECRET_KEY is the published development value: {HOW_TO}"
    if len(text) < MIN_LENGTH or len(set(text)) < MIN_DISTINCT:
        return (
            f"SECRET_KEY is too short or too simple ({len(text)} characters; at "
            f"least {MIN_LENGTH}, from 32 random bytes, are needed): {HOW_TO}"
        )
    return None


def instance_key(instance_dir: str | os.PathLike) -> str:
    """This install's own development key, made on first use.

    Kept in ``<instance>/secret_key`` (readable by its owner only) so sessions
    survive a restart, and different on every install.
    """
    path = Path(instance_dir) / FILE_NAME
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if problem(key) is None:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written under a temporary name, then linked: two processes starting at
    # once (web and scheduler) never read a half-written key, and agree on one.
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    try:
        if path.exists():  # empty or too short: replaced
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    finally:
        tmp.unlink(missing_ok=True)
    return key
