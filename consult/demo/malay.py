"""The demo event in Bahasa Malaysia as well as English.

The demo event is written in English (its default language) and offers Bahasa
Malaysia. ``seed_malay`` ticks Malay on the event and stores a Malay text for
every text of the event that can be translated (consult.events.services
.languages.content_texts lists them), through the same service as the
organiser's Languages page.

The Malay texts live in malay_event.py, malay_challenges.py and
malay_surveys.py, each a mapping from the English text, as the demo writes
it, to the Malay one; here they are gathered per field. A text is looked up
by its English words (line breaks and spacing aside), so when an English text
of the demo changes, its Malay is no longer found: the text stays missing on
the Languages page and tests/test_demo_malay.py fails, rather than the old
Malay being shown for a new English text.

The Malay is standard Bahasa Malaysia as Dewan Bahasa dan Pustaka and the
government portals write it (ekonomi kitaran, pihak berkepentingan, sektor
tidak formal, golongan rentan, pelan tindakan tempatan); names of cities,
organisations and people are kept.
"""

from __future__ import annotations

from datetime import datetime

from consult.demo.malay_challenges import CHALLENGE_DESCRIPTIONS, CHALLENGE_TITLES
from consult.demo.malay_event import (
    DESCRIPTIONS,
    EVENT_TITLES,
    REGISTRATION_CHOICES,
    REGISTRATION_HELP,
    REGISTRATION_LABELS,
    SESSION_DESCRIPTIONS,
    SESSION_TITLES,
    STAKEHOLDER_DESCRIPTIONS,
    STAKEHOLDER_LABELS,
    SUMMARIES,
)
from consult.demo.malay_surveys import (
    INTRODUCTIONS,
    POST_EVENT_OPTIONS,
    PRE_EVENT_OPTIONS,
    QUESTION_HELP,
    QUESTIONS,
    SCALE_LABELS,
    SURVEY_TITLES,
)
from consult.events.models import Event
from consult.events.services.languages import (
    ContentText,
    content_texts,
    save_translations,
    set_content_languages,
)

MALAY = "ms"


def words(text: str) -> str:
    """A text's words, one space apart: how an English text is looked up."""
    return " ".join(text.split())


def _gathered(*parts: dict[str, str]) -> dict[str, str]:
    """One field's mappings, keyed by words; a text given two Malay is a mistake."""
    merged: dict[str, str] = {}
    for part in parts:
        for english, malay in part.items():
            key = words(english)
            if merged.get(key, malay) != malay:
                raise ValueError(f"two Malay texts for {english!r}")
            merged[key] = malay.strip()
    return merged


# Field (a name in a model's TRANSLATED, or "choice" and "scale" for the
# choices of a registration question and a survey's own scale labels) ->
# English words -> Malay text.
TEXTS: dict[str, dict[str, str]] = {
    "title": _gathered(EVENT_TITLES, SESSION_TITLES, CHALLENGE_TITLES, SURVEY_TITLES),
    "summary": _gathered(SUMMARIES),
    "description_md": _gathered(DESCRIPTIONS, SESSION_DESCRIPTIONS),
    "description": _gathered(STAKEHOLDER_DESCRIPTIONS, CHALLENGE_DESCRIPTIONS),
    # Stakeholder types, registration questions, survey options and statements.
    "label": _gathered(
        STAKEHOLDER_LABELS,
        REGISTRATION_LABELS,
        PRE_EVENT_OPTIONS,
        CHALLENGE_TITLES,
        POST_EVENT_OPTIONS,
        SESSION_TITLES,
    ),
    "help_text": _gathered(REGISTRATION_HELP, QUESTION_HELP),
    "introduction": _gathered(INTRODUCTIONS),
    "text": _gathered(QUESTIONS),
    "choice": _gathered(REGISTRATION_CHOICES),
    "scale": _gathered(SCALE_LABELS),
}


def field_of(text: ContentText) -> str:
    """The model field a text of the Languages page is (its key ends with it).

    A choice or a scale label is named by its kind ("choice-<digest>",
    "scale-<point>"): its translations are looked up among all of its kind.
    """
    return text.key.split("-", 2)[2].split("-", 1)[0]


def malay_of(text: ContentText) -> str:
    """The Malay for one of the event's texts, or '' when there is none."""
    return TEXTS.get(field_of(text), {}).get(words(text.original), "")


def seed_malay(event: Event, organiser, *, now: datetime) -> int:
    """Offer Malay on the demo event and store its Malay texts; flushes.

    Returns how many texts were translated. A text without Malay here is left
    untranslated (its English shows, marked), as the Languages page lists it.
    """
    others = [*(event.content_languages or []), MALAY]
    set_content_languages(event, organiser, event.default_language, others, now=now)
    values = {}
    for text in content_texts(event, MALAY):
        malay = malay_of(text)
        if malay:
            values[text.key] = malay
    return save_translations(event, organiser, MALAY, values, now=now)
