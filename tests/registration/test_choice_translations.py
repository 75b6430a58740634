"""Choices of a registration question in several languages (issue 19, item 4).

A choice's translations are keyed by its canonical (default-language) text;
an answer stores the canonical text whatever language the visitor read, so
the export and every count group Malay and English answers together.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from consult.content import canonical_choice, choice_key, choice_label, stored
from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services.languages import (
    content_texts,
    missing_counts,
    save_translations,
    set_content_languages,
)
from consult.extensions import db
from consult.registration.models import Registration, RegistrationQuestion
from consult.registration.services import RegistrationData, register
from consult.registration.services.organiser_export import registrants_sheet
from consult.registration.services.settings import (
    QuestionData,
    add_question,
    update_question,
)
from tests.content_pages import MARKER, choose, fresh_locale
from tests.effects import committed
from tests.events.test_manage_pages import FORM
from tests.registration.test_public_pages import form
from tests.visitors import language_visitor

CHOICES = ["Food waste", "Plastics", "Construction"]
MALAY = {"Food waste": "Sisa makanan", "Plastics": "Plastik"}


def _data(**overrides) -> RegistrationData:
    values = dict(
        full_name="Siti Aminah",
        email="siti@example.my",
        organisation="Majlis Bandaraya",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )
    values.update(overrides)
    return RegistrationData(**values)


@pytest.fixture
def sector(reg_event, organiser, now):
    """A choice question on an event offered in Malay, two choices translated."""
    set_content_languages(reg_event, organiser, "en", ["ms"], now=now)
    question = add_question(
        reg_event,
        organiser,
        QuestionData("Main material", "choice", choices=list(CHOICES)),
        now=now,
    )
    db.session.commit()
    return question


def _choice_texts(event, language="ms"):
    return [t for t in content_texts(event, language) if "-choice-" in t.key]


def _translate_on_page(event, organiser, now, texts: dict[str, str]) -> int:
    keys = {t.original: t.key for t in _choice_texts(event)}
    values = {keys[original]: malay for original, malay in texts.items()}
    return save_translations(event, organiser, "ms", values, now=now)


# -- the service ---------------------------------------------------------------


def test_each_choice_is_a_text_of_the_languages_page_counted_when_missing(
    app, reg_event, sector, organiser, now
):
    texts = _choice_texts(reg_event)
    assert [t.original for t in texts] == CHOICES
    assert [t.label for t in texts] == ["Choice 1", "Choice 2", "Choice 3"]
    assert all(t.missing and t.limit == 200 for t in texts)
    before = missing_counts(reg_event)["ms"]

    assert _translate_on_page(reg_event, organiser, now, MALAY) == 2
    db.session.commit()

    question = committed().get(RegistrationQuestion, sector.id)
    assert question.choices == CHOICES  # the canonical texts are untouched
    assert question.translations == {
        "ms": {"choice:Food waste": "Sisa makanan", "choice:Plastics": "Plastik"}
    }
    assert missing_counts(reg_event)["ms"] == before - 2
    assert [t.missing for t in _choice_texts(reg_event)] == [False, False, True]


def test_a_choice_reads_in_the_visitors_language_and_falls_back_marked(
    app, reg_event, sector, organiser, now
):
    _translate_on_page(reg_event, organiser, now, MALAY)
    with force_locale("ms"):
        shown = choice_label(sector, "Plastics", "en")
        assert (shown.text, shown.language, shown.fallback) == ("Plastik", "ms", False)
        untranslated = choice_label(sector, "Construction", "en")
        assert (untranslated.text, untranslated.fallback) == ("Construction", True)
    with force_locale("en"):
        assert choice_label(sector, "Plastics", "en").text == "Plastics"
        assert choice_label(sector, "Plastics", "en").fallback is False


def test_an_answer_stores_the_canonical_choice_in_any_language(
    app, reg_event, sector, organiser, now
):
    _translate_on_page(reg_event, organiser, now, MALAY)
    answer = str(sector.id)
    assert canonical_choice(sector, "Plastik") == "Plastics"
    assert canonical_choice(sector, "Plastics") == "Plastics"
    assert canonical_choice(sector, "Kaca") is None

    malay = register(
        reg_event, _data(language="ms", answers={answer: "Plastik"}), now=now
    )
    english = register(
        reg_event,
        _data(full_name="Jan", email="jan@example.nl", answers={answer: "Plastics"}),
        now=now,
    )
    with pytest.raises(ValidationFailed) as refused:
        register(
            reg_event,
            _data(email="x@example.org", answers={answer: "Kaca"}),
            now=now,
        )
    assert refused.value.field == f"q_{sector.id}"
    db.session.commit()

    rows = committed().scalars(
        select(Registration).where(Registration.event_id == reg_event.id)
    )
    assert [r.answers for r in rows] == [{answer: "Plastics"}] * 2
    assert malay.registration.id != english.registration.id
    # The export groups both under the canonical choice.
    sheet = registrants_sheet(reg_event)
    column = sheet.header.index("Main material")
    assert Counter(row[column] for row in sheet.rows) == Counter({"Plastics": 2})


def test_reordering_keeps_translations_and_renaming_drops_them(
    app, reg_event, sector, organiser, now
):
    _translate_on_page(reg_event, organiser, now, MALAY)
    reordered = ["Plastics", "Construction", "Food waste"]
    update_question(
        reg_event,
        sector.id,
        organiser,
        QuestionData("Main material", "choice", choices=reordered),
        now=now,
    )
    db.session.commit()
    question = committed().get(RegistrationQuestion, sector.id)
    assert stored(question, choice_key("Plastics"), "ms") == "Plastik"
    assert stored(question, choice_key("Food waste"), "ms") == "Sisa makanan"
    before = missing_counts(reg_event)["ms"]

    renamed = ["Plastic packaging", "Construction", "Food waste"]
    update_question(
        reg_event,
        sector.id,
        organiser,
        QuestionData("Main material", "choice", choices=renamed),
        now=now,
    )
    db.session.commit()
    question = committed().get(RegistrationQuestion, sector.id)
    assert question.translations == {"ms": {"choice:Food waste": "Sisa makanan"}}
    # The renamed choice is missing now: the count says so.
    assert missing_counts(reg_event)["ms"] == before + 1
    texts = {t.original: t.missing for t in _choice_texts(reg_event)}
    assert texts == {
        "Plastic packaging": True,
        "Construction": True,
        "Food waste": False,
    }


def test_a_translation_of_a_renamed_choice_is_refused_not_misplaced(
    app, reg_event, sector, organiser, now
):
    keys = {t.original: t.key for t in _choice_texts(reg_event)}
    update_question(
        reg_event,
        sector.id,
        organiser,
        QuestionData("Main material", "choice", choices=["Glass", "Construction"]),
        now=now,
    )
    with pytest.raises(ValidationFailed):
        save_translations(
            reg_event, organiser, "ms", {keys["Food waste"]: "Sisa makanan"}, now=now
        )
    with pytest.raises(ValidationFailed) as too_long:
        save_translations(
            reg_event, organiser, "ms", {keys["Construction"]: "x" * 201}, now=now
        )
    assert too_long.value.field == keys["Construction"]


# -- through the pages ---------------------------------------------------------

SLUG = "circular-design-clinic"


def _ok(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _radio_value(page: str, name: str, label: str) -> str:
    """The value of the radio button of `name` whose label reads `label`."""
    for value, text in re.findall(
        rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*>\s*([^<]*)<', page
    ):
        if text.strip() == label:
            return value
    raise AssertionError(f"no choice labelled {label!r}")


def test_a_malay_visitor_chooses_a_malay_label_and_it_counts_with_english(
    app, client, login, organiser
):
    login(organiser)
    base = f"/manage/events/{SLUG}"
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    assert client.post(f"{base}/publish").status_code == 302
    added = client.post(
        f"{base}/registration-settings/questions/new",
        data={
            "label": "Main material",
            "kind": "choice",
            "choices": "\n".join(CHOICES),
            "required": "y",
        },
    )
    assert added.status_code == 302
    saved = client.post(f"{base}/languages", data={"default": "en", "others": ["ms"]})
    assert saved.status_code == 302

    # The Languages page lists the choices, each missing, under the question.
    page = _ok(client.get(f"{base}/languages?language=ms"))
    fields = re.findall(
        r'<blockquote class="original" lang="en">([^<]*)</blockquote>\s*'
        r'<input type="text" id="(regq-\d+-choice-[0-9a-f]+)"',
        page,
    )
    keys = dict(fields)
    assert list(keys) == CHOICES
    missing_before = re.search(r"(\d+) missing", page).group(1)
    saved = client.post(
        f"{base}/translations/ms",
        data={keys["Plastics"]: "Plastik", keys["Food waste"]: "Sisa makanan"},
    )
    assert saved.status_code == 302
    event = committed().scalar(select(Event).where(Event.slug == SLUG))
    question = committed().scalar(
        select(RegistrationQuestion).where(RegistrationQuestion.event_id == event.id)
    )
    assert question.translations["ms"] == {
        "choice:Plastics": "Plastik",
        "choice:Food waste": "Sisa makanan",
    }
    page = _ok(client.get(f"{base}/languages?language=ms"))
    assert int(re.search(r"(\d+) missing", page).group(1)) == int(missing_before) - 2

    name = f"q_{question.id}"
    malay = language_visitor(app, "ms")
    form_page = _ok(malay.get(f"/events/{SLUG}/register"))
    assert "Plastik" in form_page and "Sisa makanan" in form_page
    # The untranslated choice shows in English, marked.
    assert '<span lang="en" class="other-language">Construction</span>' in form_page
    assert MARKER in form_page
    value = _radio_value(form_page, name, "Plastik")
    assert value == "Plastics"  # the radio sends the canonical choice
    registered = malay.post(
        f"/events/{SLUG}/register",
        data=form(full_name="Siti Aminah", email="siti@example.my", **{name: value}),
    )
    assert registered.status_code == 200
    # A Malay label posted as such maps back to its choice.
    registered = malay.post(
        f"/events/{SLUG}/register",
        data=form(
            full_name="Nurul Huda", email="nurul@example.my", **{name: "Plastik"}
        ),
    )
    assert registered.status_code == 200

    english = language_visitor(app)
    form_page = _ok(
        english.get(f"/events/{SLUG}/register", headers={"Accept-Language": "en"})
    )
    assert "Plastik" not in form_page
    value = _radio_value(form_page, name, "Plastics")
    registered = english.post(
        f"/events/{SLUG}/register",
        data=form(**{name: value}),
        headers={"Accept-Language": "en"},
    )
    assert registered.status_code == 200

    people = committed().scalars(
        select(Registration).where(Registration.event_id == event.id)
    )
    assert [p.answers for p in people] == [{str(question.id): "Plastics"}] * 3

    export = client.get(f"{base}/registrations.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("Main material")
    assert Counter(row[column] for row in rows[1:]) == Counter({"Plastics": 3})
    assert "Plastik" not in export.get_data(as_text=True)

    # The assisted form offers the canonical choices, labelled in the
    # organiser's language.
    fresh_locale(client)
    choose(client, "ms")
    assisted = _ok(client.get(f"{base}/registrations/new"))
    assert '<option value="Plastics">Plastik</option>' in assisted
    assert '<option value="Construction">Construction</option>' in assisted
