"""The languages Consult speaks, and the language each person is written to in.

``LANGUAGES`` (config.py) lists the interface languages; ``LANGUAGE_NAMES``
names each one in itself (the switcher, the "Language for messages" fields).

A message is written in its recipient's language, not in the language of the
request that caused it nor the scheduler's: every composer writes inside
``composing_for(person)``, which forces the person's preferred language
(``Registration.language``, ``User.language``) or, for someone who chose
none, ``BABEL_DEFAULT_LOCALE``. Texts, dates and numbers formatted inside
(gettext, Jinja's ``_``, the Babel date filters) follow it; the outbox keeps
the locale with the message (its ``Content-Language``).

No request is read here: services, composers and jobs use it as well as pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from babel import Locale
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.errors import ValidationFailed

# Every interface language, written in itself, in the switcher's order.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ms": "Bahasa Melayu",
    "zh_Hans": "简体中文",
    "zh_Hant": "繁體中文",
    "id": "Bahasa Indonesia",
    "vi": "Tiếng Việt",
    "ko": "한국어",
}


def language_tag(locale: Locale | str | None) -> str:
    """The BCP 47 tag for ``<html lang>``, ``hreflang`` and ``Content-Language``:
    ``zh_Hant`` -> ``zh-Hant``."""
    return str(locale or "en").replace("_", "-")


def language_choices() -> list[tuple[str, str]]:
    """(code, name written in itself) for each interface language: a select's choices."""
    return [
        (code, LANGUAGE_NAMES.get(code, code))
        for code in current_app.config["LANGUAGES"]
    ]


def is_language(code: str | None) -> bool:
    """Whether ``code`` is one of the interface languages."""
    return bool(code) and code in current_app.config["LANGUAGES"]


def checked_language(
    code: str | None, field: str = "language", *, optional: bool = False
) -> str | None:
    """``code`` if it is an interface language; None passes when ``optional``
    (not asked: the site's default). Otherwise a ValidationFailed on ``field``."""
    if code is None and optional:
        return None
    if not is_language(code):
        raise ValidationFailed(_("Choose a language from the list."), field=field)
    return code


def event_language(event) -> str:
    """The language an organiser's invitation for ``event`` is written in unless
    they choose another: the event's own language if Consult speaks it."""
    return recipient_locale(getattr(event, "default_language", None))


def recipient_locale(person) -> str:
    """The locale to write to ``person`` in: their preferred language if Consult
    speaks it, else ``BABEL_DEFAULT_LOCALE``. ``person`` is anything with a
    ``language`` (a registration, an account), a locale code, or None."""
    code = person if isinstance(person, str) else getattr(person, "language", None)
    if is_language(code):
        return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def composing_for(person) -> Iterator[str]:
    """Compose a message to ``person`` in their language; yields the locale."""
    code = recipient_locale(person)
    with force_locale(code):
        yield code
