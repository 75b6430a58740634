"""The consultation report in any interface language, as a page and as a PDF.

The PDFs are read back with pypdf: the expected words come from the compiled
catalogue (never typed here), every page embeds the Noto CJK face of the
report's language (Han characters differ between Simplified Chinese, Hong
Kong Chinese and Korean), and no character came out as a replacement.
"""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader

from tests.dashboard.conftest import fetch_report_pdf, require_fonts

# The headings every report has, translated by the catalogue under test.
HEADINGS = ("Consultation report", "Agenda", "Participation", "Challenge priorities")
# The embedded face of each language's Han or Hangul (PostScript name part).
CJK_FACE = {
    "zh_Hans": "Noto-Sans-CJK-SC",
    "zh_Hant": "Noto-Sans-CJK-HK",
    "ko": "Noto-Sans-CJK-KR",
}
CJK_FAMILY = {
    "zh_Hans": "Noto Sans CJK SC",
    "zh_Hant": "Noto Sans CJK HK",
    "ko": "Noto Sans CJK KR",
}
HAN_OR_HANGUL = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


def _squeeze(text: str) -> str:
    # pypdf may break CJK lines between any two characters; the cover's
    # kicker is upper-cased by the stylesheet.
    return re.sub(r"\s+", "", text).casefold()


def _fonts(resources) -> set[str]:
    """Base font names used through a resource dictionary, form XObjects included."""
    names: set[str] = set()
    if not resources:
        return names
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            names |= _fonts(xobject.get("/Resources"))
    return names


def read_pdf(data: bytes) -> list[tuple[str, set[str]]]:
    """(text, fonts) per page."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return [(p.extract_text(), _fonts(p.get("/Resources"))) for p in reader.pages]


def expected_words(app, language: str) -> list[str]:
    with app.test_request_context(), force_locale(language):
        words = [_(heading) for heading in HEADINGS]
    assert words != list(HEADINGS), f"no {language} catalogue compiled"
    return words


def report_pdf(client, event, language: str | None):
    return fetch_report_pdf(client, event, language)


def assert_report_in(pages, words: list[str]) -> str:
    text = "\n".join(page_text for page_text, _fonts in pages)
    assert "\ufffd" not in text, "a character was lost (U+FFFD)"
    squeezed = _squeeze(text)
    for word in words:
        assert _squeeze(word) in squeezed, word
    return text


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "ko"])
def test_cjk_report_pdf_has_its_words_in_its_regional_face(
    app, dash_event, organiser, login, client, language
):
    require_fonts("Noto Sans", CJK_FAMILY[language])
    login(organiser)
    response = report_pdf(client, dash_event, language)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pages = read_pdf(response.data)
    # The whole report (4 pages in print typography, issue 22), not an error.
    assert len(pages) >= 4
    text = assert_report_in(pages, expected_words(app, language))
    assert HAN_OR_HANGUL.search(text)
    for number, (page_text, fonts) in enumerate(pages, 1):
        if HAN_OR_HANGUL.search(page_text):
            faces = [f for f in fonts if f.startswith("Noto-Sans-CJK")]
            assert faces, f"page {number}: no CJK face in {sorted(fonts)}"
            # Only the report language's own Han glyphs, not another region's.
            assert all(f.startswith(CJK_FACE[language]) for f in faces), faces
    # The organisers' content stays as they wrote it.
    assert "Food and organic waste" in " ".join(text.split())


def test_vietnamese_report_pdf_keeps_its_diacritics(
    app, dash_event, organiser, login, client
):
    require_fonts("Noto Sans")
    login(organiser)
    pages = read_pdf(report_pdf(client, dash_event, "vi").data)
    words = expected_words(app, "vi")
    assert any(re.search(r"[^\x00-\x7f]", word) for word in words)
    assert_report_in(pages, words)
    for number, (_text, fonts) in enumerate(pages, 1):
        assert any(f.startswith(("Noto-Sans", "DejaVu-Sans")) for f in fonts), (
            number,
            fonts,
        )


def test_organiser_gets_the_korean_pdf_and_the_english_one_stays_english(
    app, dash_event, organiser, login, client
):
    require_fonts("Noto Sans", "Noto Sans CJK KR")
    login(organiser)
    korean = report_pdf(client, dash_event, "ko")
    assert korean.status_code == 200
    assert korean.mimetype == "application/pdf"
    disposition = korean.headers["Content-Disposition"]
    assert disposition.isascii() and disposition.rstrip('"').endswith("-report-ko.pdf")
    korean_text = assert_report_in(read_pdf(korean.data), expected_words(app, "ko"))
    assert re.search(r"[\uac00-\ud7af]", korean_text)
    assert "Consultation report" not in korean_text

    english = report_pdf(client, dash_event, None)  # the page's language
    assert english.status_code == 200
    english_text = assert_report_in(read_pdf(english.data), list(HEADINGS[1:]))
    assert not HAN_OR_HANGUL.search(english_text)
    assert english.headers["Content-Disposition"].rstrip('"').endswith("-report-en.pdf")


def test_report_page_offers_every_language_and_renders_the_chosen_one(
    app, dash_event, organiser, login, client
):
    login(organiser)
    page = client.get(f"/manage/events/{dash_event.slug}/report").get_data(as_text=True)
    for name in ("English", "Bahasa Melayu", "简体中文", "繁體中文", "한국어"):
        assert name in page
    assert f"/manage/events/{dash_event.slug}/report.pdf?lang=en" in page

    page = client.get(f"/manage/events/{dash_event.slug}/report?lang=zh_Hans")
    text = page.get_data(as_text=True)
    assert '<div lang="zh-Hans">' in text
    assert '<option value="zh_Hans" lang="zh-Hans" selected>' in text
    for word in expected_words(app, "zh_Hans")[1:]:
        assert word in text
    assert "report.pdf?lang=zh_Hans" in text
    # The toolbar stays in the organiser's own language.
    assert "Back to the dashboard" in text


def test_unknown_report_language_falls_back_to_the_page_language(
    dash_event, organiser, login, client
):
    login(organiser)
    text = client.get(f"/manage/events/{dash_event.slug}/report?lang=xx").get_data(
        as_text=True
    )
    assert '<div lang="en">' in text
    assert "Participation" in text


def _fresh_get(client, url: str, accept_language: str) -> str:
    # The test holds one app context, where Flask-Babel keeps the locale it
    # chose: each request must choose afresh, as in a real server.
    from flask import g

    g.pop("_flask_babel", None)
    try:
        response = client.get(url, headers={"Accept-Language": accept_language})
    finally:
        g.pop("_flask_babel", None)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_public_results_follow_the_visitors_language(
    app, dash_event, organiser, client, now
):
    from consult.dashboard.services.publication import publish_results
    from consult.extensions import db

    publish_results(dash_event, organiser, note="", now=now)  # published in English
    db.session.commit()
    url = f"/events/{dash_event.slug}/results"
    with app.test_request_context(), force_locale("ko"):
        heading, other = _("Who took part"), _("Other groups (combined)")
    text = _fresh_get(client, url, "ko-KR,ko;q=0.9")
    assert '<html lang="ko">' in text
    assert heading in text and other in text
    assert "Who took part" not in text
    english = _fresh_get(client, url, "en")
    assert "Who took part" in english and heading not in english


def test_country_names_are_in_the_readers_language(app):
    from consult.registration.countries import country_name

    with app.test_request_context():
        assert country_name("MY") == "Malaysia"
        with force_locale("ko"):
            assert country_name("MY") == "말레이시아"
        with force_locale("zh_Hant"):
            assert country_name("MY") == "馬來西亞"
        assert country_name("MY", "vi") == "Malaysia"
        assert country_name("KR", "vi") == "Hàn Quốc"
