"""Organiser content in several languages: the mechanism and the Languages page.

An event's texts are written in its default language; the organiser offers
others and translates each text on one page, which says what is missing.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, refresh
from sqlalchemy import select

from consult.categories import CATEGORIES
from consult.challenges.models import Challenge
from consult.content import localized, set_translation, text_in
from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import Event
from consult.events.services.languages import (
    content_texts,
    missing_counts,
    save_translations,
    set_content_languages,
)
from consult.extensions import db
from consult.registration.models import StakeholderType
from tests.events.test_manage_pages import FORM

MALAY_TITLE = "Mereka Bentuk Bandar Kitaran"


@pytest.fixture
def bilingual(reg_event, organiser, now):
    set_content_languages(reg_event, organiser, "en", ["ms", "zh_Hans"], now=now)
    db.session.commit()
    return reg_event


def _key(row, field: str) -> str:
    kinds = {Event: "event", StakeholderType: "type", Challenge: "challenge"}
    return f"{kinds[type(row)]}-{row.id}-{field}"


# -- reading a text in a language ------------------------------------------------


def test_a_text_in_the_current_language_falls_back_to_the_default(app, bilingual):
    event = bilingual
    set_translation(event, "title", "ms", MALAY_TITLE)
    db.session.commit()

    assert text_in(event, "title") == "Designing Circular Cities"
    with force_locale("ms"):
        assert text_in(event, "title") == MALAY_TITLE
        shown = localized(event, "title", event.default_language)
        assert (shown.text, shown.language, shown.fallback) == (
            MALAY_TITLE,
            "ms",
            False,
        )
        # Not translated: the English, marked as a fallback.
        summary = localized(event, "summary", "en")
        assert summary.language == "en"
        assert summary.fallback is (bool(event.summary))
    with force_locale("zh_Hans"):
        shown = localized(event, "title", "en")
        assert (shown.text, shown.fallback) == ("Designing Circular Cities", True)
    with force_locale("en"):
        assert localized(event, "title", "en").fallback is False


def test_an_empty_translation_removes_it_and_other_languages_stay(app, bilingual):
    event = bilingual
    assert set_translation(event, "title", "ms", f"  {MALAY_TITLE} ")
    assert set_translation(event, "title", "zh_Hans", "设计循环城市")
    assert not set_translation(event, "title", "ms", MALAY_TITLE)  # unchanged
    db.session.commit()
    assert event.translations == {
        "ms": {"title": MALAY_TITLE},
        "zh_Hans": {"title": "设计循环城市"},
    }
    assert set_translation(event, "title", "ms", "")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {
        "zh_Hans": {"title": "设计循环城市"}
    }


# -- the event's languages -------------------------------------------------------


def test_the_default_language_is_never_among_the_others(app, reg_event, organiser, now):
    set_content_languages(reg_event, organiser, "ms", ["en", "ms", "ko"], now=now)
    db.session.commit()
    assert (reg_event.default_language, reg_event.content_languages) == (
        "ms",
        ["en", "ko"],
    )


@pytest.mark.parametrize(
    ("default", "others", "field"),
    [("xx", [], "default"), ("en", ["ms", "fr"], "others")],
)
def test_an_unknown_language_is_refused_next_to_its_field(
    app, reg_event, organiser, now, default, others, field
):
    with pytest.raises(ValidationFailed) as refused:
        set_content_languages(reg_event, organiser, default, others, now=now)
    assert refused.value.field == field
    db.session.rollback()
    assert (reg_event.default_language, reg_event.content_languages) == ("en", [])


def test_only_the_events_organisers_set_its_languages(
    app, reg_event, other_organiser, now
):
    with pytest.raises(PermissionDenied):
        set_content_languages(reg_event, other_organiser, "en", ["ms"], now=now)


# -- the texts to translate --------------------------------------------------------


def test_every_text_a_participant_reads_is_listed_with_what_is_missing(
    app, bilingual, organiser, now
):
    event = bilingual
    challenge = Challenge(
        event_id=event.id,
        title="Plastic waste",
        description="Less **single-use** plastic.",
        category=next(iter(CATEGORIES)),
    )
    db.session.add(challenge)
    db.session.commit()
    government = db.session.scalar(
        select(StakeholderType).where(
            StakeholderType.event_id == event.id, StakeholderType.key == "government"
        )
    )

    texts = {t.key: t for t in content_texts(event, "ms")}

    assert texts[_key(event, "title")].original == "Designing Circular Cities"
    assert texts[_key(government, "label")].original == government.label
    assert texts[_key(challenge, "description")].multiline
    assert texts[_key(challenge, "title")].limit == 200
    assert all(t.missing for t in texts.values())
    # Nothing written, nothing to translate.
    if not event.description_md:
        assert _key(event, "description_md") not in texts
    before = missing_counts(event)
    assert before == {"ms": len(texts), "zh_Hans": len(texts)}

    changed = save_translations(
        event,
        organiser,
        "ms",
        {
            _key(event, "title"): MALAY_TITLE,
            _key(challenge, "title"): "Sisa plastik",
            _key(government, "label"): "",
        },
        now=now,
    )
    db.session.commit()

    assert changed == 2
    assert missing_counts(event) == {"ms": len(texts) - 2, "zh_Hans": len(texts)}
    with force_locale("ms"):
        assert text_in(challenge, "title") == "Sisa plastik"
        assert text_in(government, "label") == government.label


def test_saving_refuses_other_events_texts_overlong_ones_and_languages_not_offered(
    app, bilingual, make_reg_event, organiser, now
):
    event = bilingual
    other = make_reg_event(title="Another consultation")
    with pytest.raises(ValidationFailed):
        save_translations(
            event, organiser, "ms", {_key(other, "title"): "Bukan milik"}, now=now
        )
    with pytest.raises(ValidationFailed) as too_long:
        save_translations(
            event,
            organiser,
            "ms",
            {_key(event, "title"): "x" * 201, _key(event, "summary"): "Ringkasan"},
            now=now,
        )
    assert too_long.value.field == _key(event, "title")
    with pytest.raises(ValidationFailed):
        save_translations(event, organiser, "ko", {_key(event, "title"): "x"}, now=now)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {}
    assert db.session.get(Event, other.id).translations == {}


# -- the page ----------------------------------------------------------------------


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def test_an_organiser_offers_malay_and_translates_from_the_pages(
    client, login, organiser
):
    """From an empty database and an account: create the event, choose its
    languages, translate its title, and see what is left."""
    login(organiser)
    created = client.post("/manage/events/new", data=FORM, follow_redirects=True)
    assert created.status_code == 200
    event = db.session.scalar(select(Event))
    base = f"/manage/events/{event.slug}"

    page = client.get(f"{base}/languages")
    assert page.status_code == 200
    assert "Choose one or more other languages" in page.text
    saved = client.post(
        f"{base}/languages",
        data={"default": "en", "others": ["ms", "zh_Hans"]},
        follow_redirects=True,
    )
    assert "The event&#39;s languages are saved." in saved.text
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.default_language, event.content_languages) == (
        "en",
        ["ms", "zh_Hans"],
    )

    page = client.get(f"{base}/languages?language=ms").text
    title_key = _key(event, "title")
    assert f'name="{title_key}"' in page
    assert 'lang="ms"' in page and "missing" in page
    posted = client.post(
        f"{base}/translations/ms",
        data={title_key: "Klinik Reka Bentuk Kitaran"},
        follow_redirects=True,
    )
    assert "1 translation saved in Bahasa Melayu." in posted.text
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.translations == {"ms": {"title": "Klinik Reka Bentuk Kitaran"}}
    counts = missing_counts(event)
    assert counts["ms"] == counts["zh_Hans"] - 1

    # Too long: the message next to the field, what was typed kept, nothing saved.
    refused = client.post(
        f"{base}/translations/ms", data={title_key: "Panjang " + "x" * 200}
    )
    assert refused.status_code == 422
    assert f'id="{title_key}-error"' in refused.text
    assert "Panjang xxxx" in refused.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {
        "ms": {"title": "Klinik Reka Bentuk Kitaran"}
    }
    # A language the event does not offer has no page to post to.
    assert (
        client.post(f"{base}/translations/ko", data={title_key: "x"}).status_code == 404
    )
    assert client.get(f"{base}/languages?language=ko").status_code == 404


def test_a_visitor_whose_browser_names_no_language_of_ours_reads_the_events_own(
    client, reg_event, organiser, now
):
    set_content_languages(reg_event, organiser, "ms", ["en"], now=now)
    db.session.commit()
    page = f"/events/{reg_event.slug}"

    def lang(path, accept):
        # Test requests share the test's app context, where Flask-Babel keeps
        # the locale it chose; a real server starts each request afresh.
        refresh()
        html = client.get(path, headers={"Accept-Language": accept}).text
        return re.search(r'<html lang="([^"]+)"', html).group(1)

    assert lang(page, "fr-FR,fr;q=0.9") == "ms"  # the event's own language
    assert lang(f"{page}/register", "de") == "ms"
    assert lang(page, "en-GB,en;q=0.8") == "en"  # the browser's, when we speak it
    assert lang("/", "fr") == "en"  # no event: the site's default
    client.get("/language/ko")
    assert lang(page, "fr") == "ko"  # the visitor's choice first
