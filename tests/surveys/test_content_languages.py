"""Surveys in the respondent's language (issue 19, 4): the survey's title,
introduction, questions, help texts, options and statements as the visitor
reads them, the default text marked where a translation is missing; emails in
the composing language; answers given in Malay and English add up."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import render_template
from flask_babel import force_locale

from consult.content import stored
from consult.registration.services import manage_token
from consult.surveys.results.aggregate import survey_results
from consult.surveys.services.emails import _subject, survey_email_text
from tests.content_pages import MARKER, choose, fresh_locale, offer, translate

TITLE_MS = "Sebelum webinar"
INTRO_MS = "Beritahu kami **apa yang anda jangkakan**."
QUESTION_MS = "Cabaran mana yang paling penting?"
HELP_MS = "Pilih satu."
OPTIONS_MS = [
    "Sisa makanan dan organik",
    "Pencemaran plastik dan pembungkusan",
    "Aliran bahan binaan dan reka bentuk",
    "Sisa elektronik isi rumah",
]
STATEMENT_MS = "Sesi pembukaan berguna"


def _of_kind(survey, kind):
    return next(q for q in survey.questions if q.kind == kind)


@pytest.fixture
def ms_survey(survey):
    """The nine-question survey offered in Malay: title, introduction, the
    single choice (text, help, options) and one matrix statement translated."""
    offer(survey.event, "ms")
    translate(survey.event, "ms", title="Reka Bentuk Bandar Kitaran")
    translate(survey, "ms", title=TITLE_MS, introduction=INTRO_MS)
    single = _of_kind(survey, "single_choice")
    single.help_text = "Choose one."
    translate(single, "ms", text=QUESTION_MS, help_text=HELP_MS)
    for option, label in zip(single.options, OPTIONS_MS, strict=True):
        translate(option, "ms", label=label)
    matrix = _of_kind(survey, "likert_matrix")
    translate(matrix.statements[0], "ms", label=STATEMENT_MS)
    return survey


@pytest.fixture
def reader(client):
    return fresh_locale(client)


def test_personal_page_in_malay(reader, ms_survey, make_registration, link):
    person = make_registration(ms_survey.event)
    choose(reader, "ms")
    page = reader.get(link(ms_survey, person)).text
    assert f"<title>{TITLE_MS} ·" in page and f"<h1>{TITLE_MS}</h1>" in page
    assert "<strong>apa yang anda jangkakan</strong>" in page
    assert QUESTION_MS in page and f'class="help">{HELP_MS}</small>' in page
    for label in OPTIONS_MS:
        assert f"> {label}</label>" in page
    assert f">{STATEMENT_MS}</th>" in page
    # Not translated: shown in English, marked as such.
    assert (
        '<span lang="en" class="other-language">Question about multiple_choice</span>'
        in page
    )
    assert MARKER in page and "Inggeris" in page
    assert "Food and organic waste" in page  # the multiple choice's own options


def test_personal_page_in_english_is_unmarked(
    reader, ms_survey, make_registration, link
):
    person = make_registration(ms_survey.event)
    page = reader.get(
        link(ms_survey, person), headers={"Accept-Language": "en-GB"}
    ).text
    assert "<h1>Before the webinar</h1>" in page
    assert "Question about single_choice" in page and QUESTION_MS not in page
    assert TITLE_MS not in page and MARKER not in page


def test_public_link_follows_accept_language(reader, make_survey, reg_event):
    survey = make_survey(reg_event, kinds=("single_choice",), audience="public")
    offer(reg_event, "ms")
    translate(survey, "ms", title=TITLE_MS)
    url = f"/events/{reg_event.slug}/surveys/public/{survey.public_token}"
    page = reader.get(url, headers={"Accept-Language": "ms-MY,ms;q=0.9"}).text
    assert f"<h1>{TITLE_MS}</h1>" in page
    # The introduction has no Malay text yet: English, marked.
    assert '<div lang="en" class="other-language">' in page and MARKER in page
    assert TITLE_MS not in reader.get(url, headers={"Accept-Language": "en"}).text


def test_the_participant_manage_page_lists_the_survey_in_malay(
    reader, ms_survey, make_registration
):
    person = make_registration(ms_survey.event)
    url = f"/events/{ms_survey.event.slug}/registration/{manage_token(person)}"
    page = reader.get(url, headers={"Accept-Language": "ms"}).text
    assert f">{TITLE_MS}</a>" in page


@pytest.mark.parametrize("kind", ["invitation", "reminder"])
def test_survey_emails_name_the_survey_in_the_composing_language(
    ms_survey, make_registration, kind
):
    """Subject and body read the survey's and event's titles in the locale the
    message is composed in (the recipient's, see consult.languages)."""
    person = make_registration(ms_survey.event)
    context = {
        "registration": person,
        "event": ms_survey.event,
        "survey": ms_survey,
        "survey_url": "https://consult.test/s",
        "closes": "",
        "event_when": "",
        "question_count": 9,
    }
    template = f"email/survey_{kind}"
    with force_locale("ms"):
        assert TITLE_MS in _subject(kind, ms_survey)
        text = render_template(f"{template}.txt", **context)
        html = render_template(f"{template}.html", **context)
    assert TITLE_MS in text and "Reka Bentuk Bandar Kitaran" in text
    assert f"<title>{TITLE_MS}</title>" in html
    with force_locale("en"):
        assert "Before the webinar" in _subject(kind, ms_survey)
        text = render_template(f"{template}.txt", **context)
    assert TITLE_MS not in text and "Designing Circular Cities" in text
    # Composed for the default language (no one's preference known): English.
    composed = survey_email_text(ms_survey, person, kind)
    assert "Before the webinar" in composed.subject


def test_the_builder_counts_what_is_missing(client, login, organiser, ms_survey):
    login(organiser)
    rows = [ms_survey]
    for question in ms_survey.questions:
        rows += [question, *question.all_options]
    missing = sum(
        1
        for row in rows
        for name in row.TRANSLATED
        if (getattr(row, name) or "").strip() and not stored(row, name, "ms")
    )
    assert missing > 1
    base = f"/manage/events/{ms_survey.event.slug}/surveys/{ms_survey.id}"
    page = fresh_locale(client).get(base).text
    assert f"Malay</a>: {missing} texts missing" in page
    # The organiser edits the default-language text.
    assert "<h2>Before the webinar" in page
    single = _of_kind(ms_survey, "single_choice")
    question = client.get(f"{base}/questions/{single.id}").text
    assert "Malay</a>: complete" in question


def _option_value(page: str, label: str) -> str:
    return re.search(r'value="(\d+)"> ' + re.escape(label) + "</label>", page)[1]


def test_answers_in_malay_and_english_add_up(
    reader, client, login, organiser, make_survey, reg_event, make_registration, link
):
    survey = make_survey(reg_event, kinds=("single_choice",))
    offer(reg_event, "ms")
    question = survey.questions[0]
    for option, label in zip(question.options, OPTIONS_MS, strict=True):
        translate(option, "ms", label=label)
    plastics = question.options[1]
    malay, english = make_registration(reg_event), make_registration(reg_event)

    choose(reader, "ms")
    page = reader.get(link(survey, malay)).text
    chosen_ms = _option_value(page, OPTIONS_MS[1])
    sent = reader.post(
        link(survey, malay), data={"action": "submit", f"q{question.id}": chosen_ms}
    )
    assert sent.status_code == 302
    choose(reader, "en")
    page = reader.get(link(survey, english)).text
    chosen_en = _option_value(page, "Plastic pollution and packaging")
    sent = reader.post(
        link(survey, english), data={"action": "submit", f"q{question.id}": chosen_en}
    )
    assert sent.status_code == 302
    # One option, one id, whatever the page's language.
    assert chosen_ms == chosen_en == str(plastics.id)

    results = survey_results(survey)
    rows = {row.option_id: row.count for row in results.questions[0].overall.rows}
    assert rows[plastics.id] == 2 and results.responses == 2

    login(organiser)
    base = f"/manage/events/{reg_event.slug}/surveys/{survey.id}"
    choose(reader, "ms")  # the organiser reads the site in Malay: files stay
    exported = reader.get(f"{base}/results.csv")
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    column = next(i for i, name in enumerate(table[0]) if "single_choice" in name)
    answers = [row[column] for row in table[1:]]
    assert answers.count("Plastic pollution and packaging") == 2
    assert OPTIONS_MS[1] not in exported.get_data(as_text=True)
