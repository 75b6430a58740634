"""Which language a visitor gets, the switcher on every page, <html lang>, and
dates in the reader's language (consult/i18n.py, consult/timeutil.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from werkzeug.datastructures import LanguageAccept

from consult.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    best_accepted,
    canonical,
    language_tag,
)
from consult.timeutil import format_date, format_in_two_zones, format_time, zone_city
from tests.factories import create_user
from tests.visitors import fresh_locale

SEVEN = ["en", "ms", "zh_Hans", "zh_Hant", "id", "vi", "ko"]


@pytest.fixture
def visitor(app):
    """An anonymous browser whose every request chooses its language afresh
    (the test holds one app context, where Flask-Babel keeps the locale)."""
    return fresh_locale(app.test_client())


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html).group(1)


# -- matching a browser's languages ----------------------------------------------


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("zh-CN", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh-Hans-CN", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("zh-MO", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh-Hant-HK", "zh_Hant"),
        ("ZH_tw", "zh_Hant"),
        ("ms", "ms"),
        ("ms-MY", "ms"),
        ("id-ID", "id"),
        ("in", "id"),
        ("vi-VN", "vi"),
        ("ko-KR", "ko"),
        ("en-GB", "en"),
        ("en", "en"),
        ("fr-FR", None),
        ("*", None),
        ("", None),
    ],
)
def test_a_language_tag_is_read_as_one_of_the_seven(tag, locale):
    assert canonical(tag, SEVEN) == locale


def test_the_first_accepted_language_spoken_wins():
    accept = LanguageAccept([("fr", 1), ("zh-TW", 0.9), ("en", 0.8)])
    assert best_accepted(accept, SEVEN) == "zh_Hant"
    assert best_accepted(LanguageAccept([("de", 1), ("fr", 0.5)]), SEVEN) is None
    assert best_accepted(LanguageAccept([("ko", 0)]), SEVEN) is None


def test_bcp47_tags_for_html():
    assert [language_tag(code) for code in SEVEN] == [
        "en",
        "ms",
        "zh-Hans",
        "zh-Hant",
        "id",
        "vi",
        "ko",
    ]


def test_the_seven_languages_are_configured_and_named_in_themselves(app):
    assert app.config["LANGUAGES"] == SEVEN
    assert [LANGUAGE_NAMES[code] for code in SEVEN] == [
        "English",
        "Bahasa Melayu",
        "简体中文",
        "繁體中文",
        "Bahasa Indonesia",
        "Tiếng Việt",
        "한국어",
    ]


# -- the language of a request ---------------------------------------------------


def test_accept_language_chooses_the_page_language(visitor, reg_event):
    page = _html(visitor.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}))
    assert _lang(page) == "ko"
    assert ">행사</a>" in page  # "Events" from the Korean catalogue

    page = _html(visitor.get("/", headers={"Accept-Language": "zh-HK,en;q=0.5"}))
    assert _lang(page) == "zh-Hant"
    assert ">活動</a>" in page

    page = _html(visitor.get("/", headers={"Accept-Language": "zh-SG"}))
    assert _lang(page) == "zh-Hans"
    assert ">活动</a>" in page


def test_the_chosen_language_beats_accept_language(visitor):
    visitor.set_cookie(LANGUAGE_COOKIE, "ms")
    page = _html(visitor.get("/", headers={"Accept-Language": "ko"}))
    assert _lang(page) == "ms"
    assert ">Acara</a>" in page


def test_a_cookie_naming_no_language_is_ignored(visitor):
    visitor.set_cookie(LANGUAGE_COOKIE, "xx")
    page = _html(visitor.get("/", headers={"Accept-Language": "vi"}))
    assert _lang(page) == "vi"


def test_without_a_match_the_default_language(visitor, app):
    page = _html(visitor.get("/", headers={"Accept-Language": "fr, de;q=0.5"}))
    assert _lang(page) == "en"
    assert ">Events</a>" in page

    app.config["BABEL_DEFAULT_LOCALE"] = "ms"
    page = _html(visitor.get("/", headers={"Accept-Language": "fr"}))
    assert _lang(page) == "ms"
    page = _html(visitor.get("/"))
    assert _lang(page) == "ms"


def test_pages_say_they_vary_by_language(visitor):
    response = visitor.get("/")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


# -- the switcher --------------------------------------------------------------------


def _switcher(html: str) -> dict[str, str]:
    """name -> link of each entry of the language switcher."""
    block = re.search(
        r'<details class="dropdown language-switcher">(.*?)</details>', html, re.S
    )
    assert block, "the page has a language switcher"
    return {
        unescape(name): unescape(href)
        for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block[1])
    }


@pytest.mark.parametrize(
    "url",
    ["/", "/auth/login", "/library", "/auth/reset", "/events/no-such-event"],
)
def test_every_page_offers_every_language(visitor, url):
    response = visitor.get(url, headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert _lang(html) == "zh-Hans"
    links = _switcher(html)
    assert list(links) == [LANGUAGE_NAMES[code] for code in SEVEN]
    for code in SEVEN:
        tag = language_tag(code)
        assert f'hreflang="{tag}" lang="{tag}"' in html
    assert links["Bahasa Melayu"].startswith("/language/ms?next=")


def test_signed_in_pages_offer_it_too(visitor, organiser):
    visitor.set_cookie(LANGUAGE_COOKIE, "id")
    with visitor.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
        session["_fresh"] = True
    html = _html(visitor.get("/manage/"))
    assert _lang(html) == "id"
    assert "한국어" in _switcher(html)


def test_choosing_a_language_remembers_it_and_returns(visitor, reg_event):
    url = f"/events/{reg_event.slug}"
    response = visitor.get(f"/language/ms?next={url}")
    assert response.status_code == 303
    assert response.headers["Location"] == url
    cookie = visitor.get_cookie(LANGUAGE_COOKIE)
    assert cookie.value == "ms"
    header = response.headers["Set-Cookie"]
    assert "Max-Age=31536000" in header
    assert "HttpOnly" in header and "SameSite=Lax" in header

    page = _html(visitor.get(url, headers={"Accept-Language": "en"}))
    assert _lang(page) == "ms"
    assert ">Acara</a>" in page


def test_an_unknown_language_or_a_foreign_return_address_is_refused(visitor):
    response = visitor.get("/language/fr?next=/auth/login")
    assert response.status_code == 303
    assert visitor.get_cookie(LANGUAGE_COOKIE) is None
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = visitor.get("/language/ko", query_string={"next": target})
        assert response.headers["Location"] == "/"
    assert visitor.get_cookie(LANGUAGE_COOKIE).value == "ko"


def test_journey_a_visitor_reads_the_site_in_malay_then_chinese(visitor, app):
    """From an empty site and an account: the visitor finds the switcher on the
    home page, picks Malay, and keeps it on the login page; then Chinese."""
    create_user("siti@example.my")
    home = _html(visitor.get("/", headers={"Accept-Language": "en-GB"}))
    assert _lang(home) == "en"
    malay = _switcher(home)["Bahasa Melayu"]

    landed = visitor.get(malay, follow_redirects=True)
    page = _html(landed)
    assert landed.request.path == "/"
    assert _lang(page) == "ms" and ">Acara</a>" in page

    login_page = _html(visitor.get("/auth/login"))
    assert _lang(login_page) == "ms"
    assert "Log masuk" in login_page

    chinese = _switcher(login_page)["简体中文"]
    landed = visitor.get(chinese, follow_redirects=True)
    assert landed.request.path == "/auth/login"
    page = _html(landed)
    assert _lang(page) == "zh-Hans" and "登录" in page
    assert 'aria-current="true">简体中文</a>' in page


# -- dates, times and places in the reader's language ------------------------------

MOMENT = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)  # 16:30 in Kuala Lumpur


@pytest.mark.parametrize(
    ("locale", "date", "time", "city"),
    [
        ("en", "Thu 24 Dec 2026", "16:30", "Kuala Lumpur"),
        ("ms", "Kha, 24 Dis 2026", "16:30", "Kuala Lumpur"),
        ("zh_Hans", "2026年12月24日周四", "16:30", "吉隆坡"),
        ("zh_Hant", "2026年12月24日週四", "16:30", "吉隆坡"),
        ("id", "Kam, 24 Des 2026", "16.30", "Kuala Lumpur"),
        ("vi", "Thứ 5, 24 thg 12, 2026", "16:30", "Kuala Lumpur"),
        ("ko", "2026년 12월 24일 (목)", "16:30", "쿠알라룸푸르"),
    ],
)
def test_dates_times_and_cities_in_each_language(app, locale, date, time, city):
    from flask_babel import force_locale

    with force_locale(locale):
        assert format_date(MOMENT, "Asia/Kuala_Lumpur") == date
        assert format_time(MOMENT, "Asia/Kuala_Lumpur") == time
        assert zone_city("Asia/Kuala_Lumpur") == city


def test_two_zones_in_korean(app):
    from flask_babel import force_locale

    with force_locale("ko"):
        shown = format_in_two_zones(MOMENT, "Europe/Berlin", "Asia/Kuala_Lumpur")
    assert shown.startswith("12월 24일 (목), 09:30 CET")
    assert "16:30" in shown and "쿠알라룸푸르" in shown


# -- WTForms' own messages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "required"),
    [
        ("ko", "이 항목은 필수입니다."),
        # Traditional Chinese in Consult's (Hong Kong) wording, which comes
        # before WTForms' own zh_TW one.
        ("zh-TW", "此欄必須填寫。"),
        ("zh-CN", "此字段为必填项。"),
        ("en", "This field is required."),
        # WTForms has no Malay, Indonesian or Vietnamese: Consult's catalogue.
        ("ms", "Medan ini wajib diisi."),
        ("id", "Kolom ini wajib diisi."),
        ("vi", "Trường này là bắt buộc."),
    ],
)
def test_a_required_field_is_reported_in_the_page_language(visitor, accept, required):
    response = visitor.post(
        "/auth/login",
        data={"email": "siti@example.my"},
        headers={"Accept-Language": accept},
    )
    assert required in response.get_data(as_text=True)


def test_consults_catalogue_comes_before_wtforms_own(app, monkeypatch):
    from babel.support import Translations
    from flask_babel import force_locale

    from consult import forms
    from consult.forms import FORM_TRANSLATIONS

    ours = Translations()
    ours._catalog["This field is required."] = "Medan ini wajib diisi."
    monkeypatch.setattr(forms, "get_translations", lambda: ours)
    with app.test_request_context(), force_locale("ms"):
        assert FORM_TRANSLATIONS.gettext("This field is required.") == (
            "Medan ini wajib diisi."
        )
        assert FORM_TRANSLATIONS.gettext("Not a valid choice.") == (
            "Not a valid choice."
        )
    # Outside a request (a form checked by a job or the CLI): English.
    assert FORM_TRANSLATIONS.ngettext("%(n)d seat", "%(n)d seats", 2) == "%(n)d seats"
