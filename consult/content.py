"""Organiser content in several languages: one text per language, a clear fallback.

An event is written in its default language (``Event.default_language``) and
may offer others (``Event.content_languages``). Every text an organiser writes
for participants (the event's title, summary and description, agenda sessions,
stakeholder types, registration questions, challenges, surveys and their
questions and options, reminder texts) keeps its default-language text in its
own column, and the other languages in one JSON column per row::

    translations = {"ms": {"title": "Mereka Bentuk Bandar Kitaran"}, ...}

Why a JSON column rather than a translations table: the texts of a row are
always read together with the row (no join, no N+1 on a survey of 40
questions), a row's languages are saved in one UPDATE, and results, exports
and ids never depend on the language: an answer stores the option's id, so
answers given in Malay and in English add up to the same figures. What it
gives up (searching every Malay title with SQL) no page needs.

``text_in(row, field)`` is the text in the current language (the one
flask_babel composes in: the visitor's page, or the recipient's language
inside ``force_locale``), falling back to the default-language text;
``localized()`` says whether it fell back, so a page can mark text that is in
another language than the visitor's.

Two kinds of text are not columns: the choices of a registration question
(``choices``, a list whose canonical text is what an answer stores) and a
survey question's own scale labels. Their translations sit in the same JSON
under ``choice:<canonical text>`` and ``scale:<point>`` (``choice_key``,
``scale_key``), so an answer never changes with the language it was given in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import JSON, text
from sqlalchemy.orm import Mapped, mapped_column

# The longest translation of one field (the longest column is a Markdown text).
MAX_TRANSLATION = 20000


def translations_column() -> Mapped[dict]:
    """The JSON column of a row's texts in its event's other languages."""
    return mapped_column(JSON, default=dict, server_default=text("'{}'"))


def current_language() -> str:
    """The language texts are shown in now: the page's, or the recipient's."""
    locale = get_locale()
    if locale is None:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return _code(str(locale))


def _code(locale: str) -> str:
    """A Babel locale string as Consult's language code (``zh_Hans_CN`` -> ``zh_Hans``)."""
    for code in current_app.config["LANGUAGES"]:
        if locale == code or locale.startswith(code + "_"):
            return code
    return locale.split("_", 1)[0]


@dataclass(frozen=True)
class Localized:
    text: str
    language: str  # the language `text` is written in
    fallback: bool  # True when the wanted language had no text

    def __str__(self) -> str:
        return self.text


def stored(row: Any, field: str, language: str) -> str:
    """The row's own text of `field` in `language` ('' when there is none)."""
    return ((getattr(row, "translations", None) or {}).get(language) or {}).get(
        field, ""
    )


def localized(
    row: Any, field: str, default_language: str, language: str | None = None
) -> Localized:
    """`field` of `row` in `language` (the current one), or the default text."""
    original = getattr(row, field) or ""
    return localized_text(row, field, original, default_language, language)


def localized_text(
    row: Any,
    key: str,
    original: str,
    default_language: str,
    language: str | None = None,
) -> Localized:
    """The translation stored under `key`, or `original` (the default text)."""
    wanted = language or current_language()
    if wanted == default_language:
        return Localized(original, default_language, False)
    translated = stored(row, key, wanted)
    if translated:
        return Localized(translated, wanted, False)
    return Localized(original, default_language, bool(original))


def choice_key(choice: str) -> str:
    """Where a registration question's choice keeps its translations."""
    return f"choice:{choice}"


def scale_key(point: int) -> str:
    """Where a survey question's label of scale point 1..5 keeps its translations."""
    return f"scale:{point}"


def choice_label(
    question: Any, choice: str, default_language: str, language: str | None = None
) -> Localized:
    """A choice of a registration question in the reader's language."""
    return localized_text(
        question, choice_key(choice), choice, default_language, language
    )


def canonical_choice(question: Any, value: str) -> str | None:
    """The canonical choice `value` names: itself, or one whose translation it is.

    A form sends the canonical text; a label typed or posted in another
    language maps back to its choice, so an answer never stores a translation.
    None when `value` is none of the question's choices in any language.
    """
    choices = list(question.choices or [])
    if value in choices:
        return value
    for texts in (getattr(question, "translations", None) or {}).values():
        for choice in choices:
            if (texts or {}).get(choice_key(choice)) == value:
                return choice
    return None


def drop_translations(row: Any, keys: set[str]) -> None:
    """Remove the translations stored under `keys`, in every language."""
    current = getattr(row, "translations", None) or {}
    kept = {}
    for language, texts in current.items():
        left = {k: v for k, v in (texts or {}).items() if k not in keys}
        if left:
            kept[language] = left
    if kept != current:
        row.translations = kept


def text_in(row: Any, field: str, language: str | None = None) -> str:
    """`field` of `row` in the current language, falling back to the default."""
    wanted = language or current_language()
    return stored(row, field, wanted) or (getattr(row, field) or "")


def set_translation(row: Any, field: str, language: str, value: str) -> bool:
    """Store (or, with an empty value, remove) one translation; True if it changed."""
    current = dict(getattr(row, "translations", None) or {})
    texts = dict(current.get(language) or {})
    value = (value or "").strip()
    if texts.get(field, "") == value:
        return False
    if value:
        texts[field] = value
    else:
        texts.pop(field, None)
    if texts:
        current[language] = texts
    else:
        current.pop(language, None)
    # A new dict, so SQLAlchemy sees the JSON column change.
    row.translations = current
    return True


def event_languages(event: Any) -> list[str]:
    """The event's content languages: its default first, then the others."""
    default = event.default_language
    others = [code for code in (event.content_languages or []) if code != default]
    return [default, *others]


def language_display(code: str) -> str:
    """A language's name in the current language (``en`` -> "Inggeris" in Malay)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name(current_language()) or code
    except (UnknownLocaleError, ValueError):
        return code
