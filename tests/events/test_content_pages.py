"""The public event pages show the organiser's texts in the visitor's language.

A translated text replaces the organiser's; one not translated yet is shown
as written, marked with its language (``class="language-marker"``). Organiser
pages keep the default-language text, and show how many texts each language
still lacks.
"""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from consult.content import set_translation
from consult.events.services.languages import missing_counts
from consult.extensions import db
from tests.visitors import language_visitor

TITLE = "Designing Circular Cities in Malaysia"
TITLE_MS = "Mereka Bentuk Bandar Kitaran di Malaysia"
SUMMARY_MS = "Rundingan pihak berkepentingan tentang plastik."
SESSION = "Petaling Jaya's five challenges"
SESSION_MS = "Lima cabaran Petaling Jaya"
MARKER = 'class="language-marker"'


@pytest.fixture
def malay_event(make_event, organiser, session_data, now):
    """A published event offered in Malay: title, summary and the session's
    title translated; the description and the session's description not."""
    from consult.events.services import add_session

    event = make_event(organiser, publish=True)
    session = add_session(event, organiser, session_data(), now=now)
    event.content_languages = ["ms"]
    set_translation(event, "title", "ms", TITLE_MS)
    set_translation(event, "summary", "ms", SUMMARY_MS)
    set_translation(session, "title", "ms", SESSION_MS)
    db.session.commit()
    return event


def _page(client, url, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_malay_visitor_reads_the_malay_texts_and_sees_the_rest_marked(
    app, malay_event
):
    page = _page(language_visitor(app, "ms"), f"/events/{malay_event.slug}")
    assert f"<h1>{TITLE_MS}</h1>" in page
    assert SUMMARY_MS in page
    assert f"<h3>{SESSION_MS}</h3>" in page
    assert TITLE_MS in _title(page)
    assert f'<meta property="og:title" content="{TITLE_MS}">' in page
    assert f'<meta name="description" content="{SUMMARY_MS}">' in page
    # The description is not translated: shown in English, marked as such.
    assert "<strong>unified</strong>" in page
    assert MARKER in page
    assert 'lang="en" class="other-language"' in page


def test_accept_language_picks_the_malay_texts_too(app, malay_event):
    page = _page(
        language_visitor(app),
        f"/events/{malay_event.slug}",
        **{"Accept-Language": "ms"},
    )
    assert f"<h1>{TITLE_MS}</h1>" in page


def test_an_english_visitor_reads_the_organisers_texts_unmarked(app, malay_event):
    page = _page(
        language_visitor(app),
        f"/events/{malay_event.slug}",
        **{"Accept-Language": "en"},
    )
    assert f"<h1>{TITLE}</h1>" in page
    assert f"<h3>{escape(SESSION)}</h3>" in page
    assert TITLE_MS not in page and SESSION_MS not in page
    assert MARKER not in page
    assert f'<meta property="og:title" content="{TITLE}">' in page


def test_the_event_cards_carry_the_visitors_texts(app, malay_event):
    malay = _page(language_visitor(app, "ms"), "/")
    english = _page(language_visitor(app), "/", **{"Accept-Language": "en"})
    assert TITLE_MS in malay and SUMMARY_MS in malay
    assert TITLE in english and TITLE_MS not in english


def test_an_untranslated_title_is_marked_on_the_card(app, make_event, organiser):
    event = make_event(organiser, publish=True)
    event.content_languages = ["ms"]
    db.session.commit()
    page = _page(language_visitor(app, "ms"), "/")
    assert f'<span lang="en" class="other-language">{TITLE}</span>' in page
    assert MARKER in page


def test_the_edit_form_counts_what_each_language_lacks(
    app, malay_event, organiser, login, client
):
    login(organiser)
    page = _page(client, f"/manage/events/{malay_event.slug}/edit")
    missing = missing_counts(malay_event)["ms"]
    assert missing >= 2  # the description and the session's description at least
    assert f"{missing} texts not translated yet" in page
    assert f"/manage/events/{malay_event.slug}/languages?language=ms" in page
    # The form itself edits the organiser's own text.
    assert f'value="{TITLE}"' in page


def test_an_event_in_one_language_shows_no_translation_notice(
    make_event, organiser, login, client
):
    event = make_event(organiser)
    login(organiser)
    page = _page(client, f"/manage/events/{event.slug}/edit")
    assert "missing-translations" not in page
