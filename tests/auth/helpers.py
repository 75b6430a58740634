"""Small helpers shared by the account tests."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery"
NEW_PASSWORD = "plum orchard lantern 42"


def logged_in_user_id(client) -> str | None:
    """The user id of the session (its id part, without the password fingerprint)."""
    with client.session_transaction() as session:
        session_id = session.get("_user_id")
    return session_id.partition(":")[0] if session_id else None


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
