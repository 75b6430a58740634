"""A browser whose every request chooses its language afresh.

A test holds one app context, where Flask-Babel keeps the locale it chose
(in ``g``): without forgetting it, the second request of a test, or one made
after a service ran in another locale, would keep the first one's language.
"""

from __future__ import annotations

from flask import g


def fresh_locale(client):
    """``client`` with each request choosing its language afresh."""
    plain_open = client.open

    def fresh_open(*args, **kwargs):
        g.pop("_flask_babel", None)
        try:
            return plain_open(*args, **kwargs)
        finally:
            g.pop("_flask_babel", None)

    client.open = fresh_open
    return client


def language_visitor(app, language: str | None = None):
    """A test client that picks its language per request; with ``language``,
    one that has chosen it (the language cookie the switcher sets)."""
    from consult.i18n import LANGUAGE_COOKIE

    client = fresh_locale(app.test_client())
    if language:
        # For the app's host: some test apps are named (emails need links).
        host = (app.config.get("SERVER_NAME") or "localhost").split(":")[0]
        client.set_cookie(LANGUAGE_COOKIE, language, domain=host)
    return client
