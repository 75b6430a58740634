"""The five labels of a Likert scale, in the reader's language.

A question stores its labels in its event's default language
(``SurveyQuestion.scale_labels``); an answer stores the point (1..5), never a
label, so results and exports add up whatever language people answered in.

The default labels (``DEFAULT_SCALE_LABELS``) are interface words: a question
that keeps them shows them from the interface catalogue, already in every
language, and has nothing to translate. Labels the organiser wrote instead are
organiser content: translated per point on the event's Languages page
(``scale:<point>`` in the question's translations, consult/content.py) and,
where a translation is missing, shown in the default language and marked.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from consult.content import Localized, current_language, localized_text, scale_key
from consult.surveys.models import DEFAULT_SCALE_LABELS

# The stored default labels, as the interface catalogue translates them.
INTERFACE_LABELS = {
    "Strongly disagree": _l("Strongly disagree"),
    "Disagree": _l("Disagree"),
    "Neither agree nor disagree": _l("Neither agree nor disagree"),
    "Agree": _l("Agree"),
    "Strongly agree": _l("Strongly agree"),
}


def is_default_label(point: int, label: str) -> bool:
    """True when scale point `point` (1..5) keeps its default label."""
    return 1 <= point <= 5 and DEFAULT_SCALE_LABELS[point - 1] == label


def scale_labels_in(
    question, default_language: str, language: str | None = None
) -> list[Localized]:
    """The question's five labels in `language` (the current one)."""
    wanted = language or current_language()
    shown = []
    for point, label in enumerate(question.labels, 1):
        if is_default_label(point, label):
            if wanted == current_language():
                text = str(INTERFACE_LABELS[label])
            else:
                with force_locale(wanted):
                    text = str(INTERFACE_LABELS[label])
            shown.append(Localized(text, wanted, False))
        else:
            shown.append(
                localized_text(
                    question, scale_key(point), label, default_language, wanted
                )
            )
    return shown


def scale_texts(question, default_language: str) -> list[str]:
    """The five labels in the current language, as plain text."""
    return [t.text for t in scale_labels_in(question, default_language)]
