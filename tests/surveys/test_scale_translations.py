"""Survey scale labels in several languages (issue 19, item 4).

The default labels are interface words, translated by the catalogues; labels
an organiser wrote are translated per point on the Languages page. An answer
stores the point, so Malay and English answers add up; the export explains
the points in the event's default language.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from consult.content import scale_key, stored
from consult.events.services.languages import content_texts, save_translations
from consult.extensions import db
from consult.surveys.export import questions_sheet
from consult.surveys.models import DEFAULT_SCALE_LABELS, SurveyQuestion
from consult.surveys.results.aggregate import survey_results
from consult.surveys.scale import INTERFACE_LABELS, scale_labels_in
from consult.surveys.services import add_question, update_question
from tests.content_pages import MARKER, choose, fresh_locale, offer
from tests.effects import committed
from tests.surveys.conftest import question_data

FAMILIARITY = [
    "Not at all familiar",
    "Slightly familiar",
    "Moderately familiar",
    "Very familiar",
    "Expert",
]
FAMILIARITY_MS = ["Langsung tidak biasa", "Sedikit biasa"]
AGREE_MS = "Sangat setuju"  # the ms catalogue's "Strongly agree"


def _scale_texts(event, language="ms"):
    return [t for t in content_texts(event, language) if "-scale-" in t.key]


@pytest.fixture
def familiarity(make_survey, reg_event, organiser, now):
    """A survey with one Likert question of the organiser's own labels, in Malay."""
    survey = make_survey(reg_event, kinds=())
    question = add_question(
        survey,
        organiser,
        question_data("likert", scale_labels=list(FAMILIARITY)),
        now=now,
    )
    offer(reg_event, "ms")
    db.session.commit()
    return question


def test_the_default_labels_come_translated_from_the_interface(
    app, make_survey, reg_event
):
    assert tuple(INTERFACE_LABELS) == DEFAULT_SCALE_LABELS
    survey = make_survey(reg_event, kinds=("likert", "likert_matrix"))
    offer(reg_event, "ms")
    # Nothing to translate: the Languages page lists no scale label.
    assert _scale_texts(reg_event) == []
    question = survey.questions[0]
    with force_locale("ms"):
        shown = scale_labels_in(question, "en")
    assert shown[4].text == AGREE_MS and not any(t.fallback for t in shown)
    with force_locale("en"):
        assert [t.text for t in scale_labels_in(question, "en")] == list(
            DEFAULT_SCALE_LABELS
        )
    # Asked for a language other than the current one.
    with force_locale("en"):
        assert scale_labels_in(question, "en", "ms")[4].text == AGREE_MS


def test_own_labels_are_translated_per_point_and_fall_back_marked(
    app, familiarity, reg_event, organiser, now
):
    texts = _scale_texts(reg_event)
    assert [t.original for t in texts] == FAMILIARITY
    assert [t.label for t in texts] == [f"Scale point {n}" for n in range(1, 6)]
    assert all(t.missing and t.limit == 60 for t in texts)
    values = {t.key: ms for t, ms in zip(texts, FAMILIARITY_MS, strict=False)}
    assert save_translations(reg_event, organiser, "ms", values, now=now) == 2
    db.session.commit()

    question = committed().get(SurveyQuestion, familiarity.id)
    assert question.scale_labels == FAMILIARITY  # the default language stays
    assert question.translations == {
        "ms": {"scale:1": FAMILIARITY_MS[0], "scale:2": FAMILIARITY_MS[1]}
    }
    with force_locale("ms"):
        shown = scale_labels_in(familiarity, "en")
    assert [t.text for t in shown] == [*FAMILIARITY_MS, *FAMILIARITY[2:]]
    assert [t.fallback for t in shown] == [False, False, True, True, True]
    assert [t.missing for t in _scale_texts(reg_event)] == [False, False] + [True] * 3


def test_rewriting_a_label_drops_only_its_translations(
    app, familiarity, reg_event, organiser, now
):
    texts = _scale_texts(reg_event)
    values = {t.key: ms for t, ms in zip(texts, FAMILIARITY_MS, strict=False)}
    save_translations(reg_event, organiser, "ms", values, now=now)
    db.session.commit()
    labels = ["Never heard of it", *FAMILIARITY[1:]]
    update_question(
        familiarity,
        organiser,
        question_data("likert", scale_labels=labels),
        now=now,
    )
    db.session.commit()
    question = committed().get(SurveyQuestion, familiarity.id)
    assert not stored(question, scale_key(1), "ms")
    assert stored(question, scale_key(2), "ms") == FAMILIARITY_MS[1]
    assert [t.missing for t in _scale_texts(reg_event)] == [
        True,
        False,
        True,
        True,
        True,
    ]


# -- through the pages ---------------------------------------------------------


def _point(page: str, name: str, label: str) -> str:
    found = re.search(
        rf'name="{name}" value="(\d)"[^>]*> (?:<span[^>]*>)?{re.escape(label)}<', page
    )
    assert found, label
    return found[1]


def test_an_organiser_translates_a_scale_and_answers_add_up(
    app, client, login, organiser, make_survey, reg_event, make_registration, link
):
    survey = make_survey(reg_event, kinds=())
    base = f"/manage/events/{reg_event.slug}"
    fresh_locale(client)
    login(organiser)
    added = client.post(
        f"{base}/surveys/{survey.id}/questions/new",
        data={
            "kind": "likert",
            "text": "How familiar are you with circular economy?",
            "required": "y",
            **{f"scale_labels-{i}": label for i, label in enumerate(FAMILIARITY)},
        },
    )
    assert added.status_code == 302
    saved = client.post(f"{base}/languages", data={"default": "en", "others": ["ms"]})
    assert saved.status_code == 302
    question = committed().scalar(
        select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
    )
    assert question.scale_labels == FAMILIARITY
    builder = client.get(f"{base}/surveys/{survey.id}").text
    # Title, introduction, the question and its five labels.
    assert "Malay</a>: 8 texts missing" in builder

    page = client.get(f"{base}/languages?language=ms").text
    keys = dict(
        re.findall(
            r'<blockquote class="original" lang="en">([^<]*)</blockquote>\s*'
            r'<input type="text" id="(surveyq-\d+-scale-\d)"',
            page,
        )
    )
    assert list(keys) == FAMILIARITY
    posted = client.post(
        f"{base}/translations/ms",
        data={
            keys[en]: ms for en, ms in zip(FAMILIARITY, FAMILIARITY_MS, strict=False)
        },
    )
    assert posted.status_code == 302
    question = committed().get(SurveyQuestion, question.id)
    assert question.translations == {
        "ms": {"scale:1": FAMILIARITY_MS[0], "scale:2": FAMILIARITY_MS[1]}
    }
    builder = client.get(f"{base}/surveys/{survey.id}").text
    assert "Malay</a>: 6 texts missing" in builder

    malay, english = make_registration(reg_event), make_registration(reg_event)
    name = f"q{question.id}"
    choose(client, "ms")
    page = client.get(link(survey, malay)).text
    assert FAMILIARITY_MS[1] in page and FAMILIARITY[1] not in page
    # The labels not translated are in English, marked.
    assert '<span lang="en" class="other-language">Expert</span>' in page
    assert MARKER in page
    chosen_ms = _point(page, name, FAMILIARITY_MS[1])
    sent = client.post(link(survey, malay), data={"action": "submit", name: chosen_ms})
    assert sent.status_code == 302
    choose(client, "en")
    page = client.get(link(survey, english)).text
    assert FAMILIARITY_MS[1] not in page
    chosen_en = _point(page, name, FAMILIARITY[1])
    sent = client.post(
        link(survey, english), data={"action": "submit", name: chosen_en}
    )
    assert sent.status_code == 302
    assert chosen_ms == chosen_en == "2"

    results = survey_results(survey)
    assert dict(results.questions[0].overall.distribution)[2] == 2

    # The organiser reads the site in Malay; the export keeps the default
    # language's labels and the points.
    choose(client, "ms")
    exported = client.get(f"{base}/surveys/{survey.id}/results.csv")
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    column = next(i for i, head in enumerate(table[0]) if "familiar" in head)
    assert [row[column] for row in table[1:]] == ["2", "2"]
    with force_locale("ms"):
        explained = questions_sheet(committed().get(type(survey), survey.id))
    assert any("2 = Slightly familiar" in str(cell) for cell in explained.rows[0])
    assert not any(FAMILIARITY_MS[1] in str(cell) for cell in explained.rows[0])
