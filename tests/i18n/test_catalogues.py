"""The catalogues in translations/: one per interface language, all from the
current template, every translation keeping its message's placeholders and
HTML tags, none fuzzy.

Untranslated entries are allowed while the translations are being written
(gettext shows the English); each is counted and reported below. A language
listed in COMPLETE_LOCALES must have every entry translated: add a language
there when its catalogue is finished, so that it stays finished.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo

from config import Config
from tests.i18n.catalogues import (
    ROOT,
    TEMPLATE,
    catalogue_paths,
    compile_stale,
    is_translated,
    placeholders,
    problems,
    pseudo,
    pseudo_catalogue,
    read_catalogue,
    tags,
    translations_of,
)

LANGUAGES = Config.LANGUAGES
# The languages whose catalogue must translate every message: all of them
# (a language added later joins here once finished, and stays finished).
# English needs none: an empty entry shows the message as written.
COMPLETE_LOCALES: tuple[str, ...] = ("ms", "zh_Hans", "zh_Hant", "id", "vi", "ko")


def test_every_language_has_a_catalogue_and_nothing_else_does():
    assert sorted(catalogue_paths()) == sorted(LANGUAGES)
    assert LANGUAGES == ["en", "ms", "zh_Hans", "zh_Hant", "id", "vi", "ko"]


def _extraction_options() -> list[str]:
    # The Makefile's own options, so that this test and `make translations`
    # cannot disagree about what is extracted.
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^EXTRACT_OPTS\s*:=\s*((?:.*\\\n)*.*)$", makefile, re.M)
    assert match, "the Makefile defines EXTRACT_OPTS"
    return shlex.split(match.group(1).replace("\\\n", " "))


def test_the_template_holds_every_message_of_the_code(tmp_path, monkeypatch):
    """translations/messages.pot is what pybabel extracts today: a message
    added to the code without `make translations` would never be translated."""
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", *_extraction_options(), "-o", str(fresh), "."]
    )
    with fresh.open("rb") as handle:
        from babel.messages.pofile import read_po

        extracted = {m.id for m in read_po(handle) if m.id}
    committed = {m.id for m in read_catalogue(TEMPLATE) if m.id}
    missing = sorted(str(i) for i in extracted - committed)
    stale = sorted(str(i) for i in committed - extracted)
    assert not missing, f"run `make translations`; not in messages.pot: {missing}"
    assert not stale, f"run `make translations`; gone from the code: {stale}"


def test_the_extraction_covers_the_code_the_templates_and_every_keyword():
    config = (ROOT / "babel.cfg").read_text()
    assert "[python: consult/**.py]" in config
    assert "[jinja2: templates/**.html]" in config
    assert "[jinja2: templates/**.txt]" in config
    options = _extraction_options()
    keywords = {options[i + 1] for i, o in enumerate(options) if o == "-k"}
    # _, gettext and ngettext are pybabel's defaults.
    assert {"_l", "lazy_gettext", "lazy_ngettext:1,2"} <= keywords
    template = {m.id for m in read_catalogue(TEMPLATE)}
    assert "Please log in to see this page." in template  # lazy_gettext
    assert "Language" in template  # a template's _()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_catalogue_follows_the_template(locale):
    catalog = read_catalogue(catalogue_paths()[locale], locale)
    template = {m.id for m in read_catalogue(TEMPLATE) if m.id}
    entries = {m.id for m in catalog if m.id}
    assert entries == template, f"run `make translations` ({locale})"
    assert not catalog.obsolete


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translations_keep_placeholders_and_tags_and_none_is_fuzzy(locale):
    catalog = read_catalogue(catalogue_paths()[locale], locale)
    assert problems(locale, catalog) == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_untranslated_entries(locale):
    """A complete language translates everything; the others report what is
    left (shown with -rA, or in the failure once the language is listed)."""
    catalog = read_catalogue(catalogue_paths()[locale], locale)
    entries = [m for m in catalog if m.id]
    untranslated = [m.id for m in entries if not is_translated(m)]
    print(
        f"{locale}: {len(entries) - len(untranslated)} of {len(entries)} "
        f"messages translated, {len(untranslated)} left"
    )
    if locale in COMPLETE_LOCALES:
        assert untranslated == [], f"{locale} must be complete: {untranslated[:20]}"


def test_the_plural_forms_are_the_languages_own():
    forms = {
        locale: read_catalogue(path, locale).num_plurals
        for locale, path in catalogue_paths().items()
    }
    # English has singular and plural; Malay, Indonesian, Chinese, Vietnamese
    # and Korean use one form for every count (CLDR).
    assert forms == {
        "en": 2,
        "ms": 1,
        "zh_Hans": 1,
        "zh_Hant": 1,
        "id": 1,
        "vi": 1,
        "ko": 1,
    }


# -- the checks themselves -------------------------------------------------------


def test_a_lost_placeholder_or_tag_and_a_fuzzy_entry_are_found():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ms", fuzzy=False)
    catalog.add("Hello %(name)s", "Helo")
    catalog.add("Open {event_link}", "Buka {pautan}")
    catalog.add('See <a href="%(url)s">the page</a>', "Lihat %(url)s halaman")
    catalog.add("Kept %(n)d", "Disimpan %(n)d")
    catalog.add(("%(num)d seat", "%(num)d seats"), ("tempat",))
    catalog.add("Guess", "Teka", flags=["fuzzy"])
    found = problems("ms", catalog)
    assert len(found) == 5, found
    assert any("'Guess'" in line and "fuzzy" in line for line in found)
    assert not any("Kept" in line for line in found)


def test_placeholders_and_tags_are_read_as_gettext_and_jinja_write_them():
    assert placeholders("%(a)s of %(b)d · %(rate)d%%") == [
        "%%",
        "%(a)s",
        "%(b)d",
        "%(rate)d",
    ]
    assert placeholders("Join {event_link} at {time}") == ["{event_link}", "{time}"]
    assert tags('<strong>Now</strong>, <a href="%(u)s">here</a>') == [
        "</a>",
        "</strong>",
        '<a href="%(u)s">',
        "<strong>",
    ]


def test_a_one_form_language_keeps_the_plurals_placeholders():
    from babel.messages.catalog import Message

    message = Message(("One seat", "%(num)d seats"), ("%(num)d tempat",))
    assert translations_of(message) == [("%(num)d seats", "%(num)d tempat")]


def test_the_pseudo_locale_translates_every_message_and_keeps_what_it_must():
    assert pseudo("Log in") == "⟦Ĺóĝ íñ ~~⟧"
    text = 'Hello %(name)s, see <a href="{link}">the page</a> &amp; more'
    shown = pseudo(text)
    assert placeholders(shown) == placeholders(text)
    assert tags(shown) == tags(text)
    assert "&amp;" in shown
    catalog = pseudo_catalogue()
    entries = [m for m in catalog if m.id]
    assert len(entries) == len([m for m in read_catalogue(TEMPLATE) if m.id])
    assert all(is_translated(m) for m in entries)
    assert problems("pseudo", catalog) == []


def test_compiled_catalogues_are_built_not_committed():
    compile_stale()
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "*.mo" in ignored
    for locale, path in catalogue_paths().items():
        mo = path.with_suffix(".mo")
        with mo.open("rb") as handle:
            compiled = read_mo(handle)
        translated = {
            _key(m.id)
            for m in read_catalogue(path, locale)
            if m.id and is_translated(m)
        }
        assert translated <= {_key(m.id) for m in compiled if m.id}, locale


def _key(message_id):
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else message_id


def test_the_makefile_compiles_before_serving_and_testing():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: .*\$\(COMPILED\)", makefile, re.M)
    assert re.search(r"^test: .*\$\(COMPILED\)", makefile, re.M)
    assert re.search(r"^test-any-day: .*\$\(COMPILED\)", makefile, re.M)
    assert "pybabel compile" in makefile
    assert "LOCALES      := en ms zh_Hans zh_Hant id vi ko" in makefile


def test_pseudo_locale_script_writes_a_catalogue(tmp_path: Path):
    from tests.i18n.catalogues import write_pseudo_locale

    folder = write_pseudo_locale(tmp_path)
    with (folder / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert compiled["Log in"].string == "⟦Ĺóĝ íñ ~~⟧"
