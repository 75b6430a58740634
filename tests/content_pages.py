"""Helpers for the tests of organiser content shown in the visitor's language.

- ``fresh_locale(client)``: the client's every request chooses its language
  afresh (a test holds one app context, where Flask-Babel keeps the locale);
- ``choose(client, language)``: the language cookie the switcher sets;
- ``offer(event, *languages)`` and ``translate(row, language, **texts)``: what
  the Languages page stores (consult/events/services/languages.py), set directly;
- ``MARKER``: the mark of a text shown in another language than the page's.
"""

from __future__ import annotations

from consult.content import set_translation
from consult.extensions import db
from consult.i18n import LANGUAGE_COOKIE
from tests.visitors import fresh_locale  # noqa: F401 (re-exported)

MARKER = 'class="language-marker"'


def choose(client, language: str) -> None:
    """The visitor chose `language` with the switcher (its cookie)."""
    from flask import current_app

    host = current_app.config.get("SERVER_NAME") or "localhost"
    client.set_cookie(LANGUAGE_COOKIE, language, domain=host.split(":")[0])


def offer(event, *languages: str) -> None:
    event.content_languages = list(languages)
    db.session.commit()


def translate(row, language: str, **texts: str) -> None:
    for field, value in texts.items():
        set_translation(row, field, language, value)
    db.session.commit()
