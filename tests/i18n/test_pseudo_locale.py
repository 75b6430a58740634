"""Every main page of each role read in the pseudo-locale: visible English that
is not from data is a string nobody wrapped for translation.

The pseudo-locale (tests/i18n/catalogues.py) turns each message of
translations/messages.pot into accented text (``Log in`` -> ``⟦Ĺóĝ íñ ~~⟧``)
and is served as English, so dates and numbers stay Babel's English. On each
page, what is left after taking away data (every string stored in the
database, shown as is or through Markdown), Babel's English names (days,
months, countries, languages), time-zone names and the switcher's language
names must hold no plain ASCII word: each one found is listed with its page.

UNWRAPPED lists what the pages show today that is not yet wrapped, per page;
an entry fixed must be removed from it (the test says so), so the list only
shrinks.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import pytest
from babel import Locale
from flask import g
from sqlalchemy import JSON, String, Text, select

from consult.actions.models import Action, ActionPlan, ActionUpdate, Milestone
from consult.cities.services import city_for_host
from consult.extensions import babel, db
from consult.i18n import LANGUAGE_NAMES
from consult.registration.services.tokens import manage_url
from consult.surveys.services import SurveyData, add_question, create_survey
from consult.surveys.services.tokens import survey_token
from consult.timeutil import now_utc
from tests.factories import SERVER_NAMED, create_registration
from tests.i18n.catalogues import PSEUDO_CLOSE, PSEUDO_OPEN, write_pseudo_locale
from tests.surveys.conftest import ALL_KINDS, question_data, wall

# page -> the English found on it that is not wrapped yet (see the docstring).
UNWRAPPED: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def pseudo_directory(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pseudo-translations")
    write_pseudo_locale(directory)
    return directory


@pytest.fixture
def app_config(pseudo_directory):
    return {**SERVER_NAMED, "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_directory)}


@pytest.fixture(autouse=True)
def own_translations(app):
    """Flask-Babel keeps loaded catalogues per locale on the one Babel object
    every app of this process shares: another test's English must not serve
    here, nor the pseudo-locale's after."""
    babel.domain_instance.cache.clear()
    yield
    babel.domain_instance.cache.clear()


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside script and style, and the
    attributes browsers show (placeholders, titles, labels, alt text, button
    captions)."""

    SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        values = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        button = values.get("type") in ("submit", "button", "reset")
        if tag == "input" and button and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def _strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings_in(item)


def _stored_strings() -> list[str]:
    """Every string stored in the database (in text and JSON columns): the
    data pages show as is."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in _strings_in(list(row)):
                if value.strip():
                    found.add(value)
                    found.update(line.strip() for line in value.splitlines())
    return sorted((s for s in found if s), key=len, reverse=True)


def _babel_words() -> set[str]:
    english = Locale("en")
    names: set[str] = set(LANGUAGE_NAMES.values())
    for width in ("abbreviated", "wide"):
        for context in ("format", "stand-alone"):
            names.update(english.days[context][width].values())
            names.update(english.months[context][width].values())
    names.update(english.territories.values())
    names.update(english.languages.values())
    for zone in available_timezones():
        names.update(re.split(r"[/_]", zone))
    words: set[str] = set()
    for name in names:
        words.update(re.findall(r"[A-Za-z]+", name))
    return words


_PSEUDO_SPAN = re.compile(
    re.escape(PSEUDO_OPEN) + r".*?" + re.escape(PSEUDO_CLOSE), re.S
)
_WORD = re.compile(r"[A-Za-z]{2,}")
# A link or path written out (a page's address, a slug): not a sentence.
_ADDRESS = re.compile(r"(https?://|/)\S*")
# Not words: zone abbreviations and names of formats, products and standards
# that read the same in every language.
_NOT_WORDS = {"UTC", "GMT", "CET", "CEST", "Consult", "Zoom", "Teams"}


def untranslated(html: str, data: list[str], allowed: set[str]) -> list[str]:
    """The visible texts of a page holding English that is neither translated
    nor data."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    found = []
    for text in parser.texts:
        shown = " ".join(text.split())
        if any(shown in value or shown in " ".join(value.split()) for value in data):
            continue
        rest = _ADDRESS.sub(" ", _PSEUDO_SPAN.sub(" ", shown))
        for value in data:
            if len(value) > 2 and value in rest:
                rest = rest.replace(value, " ")
        words = [
            w for w in _WORD.findall(rest) if w not in allowed and w not in _NOT_WORDS
        ]
        if words and any(mark in shown for mark in "⟦⟧…"):
            # A chart wraps a long label over lines ("⟦Government & public" /
            # "agencies (n = 1 …"): part of a translated string around a piece
            # of data, whose words are then the data's own.
            data_words = {w for value in data for w in _WORD.findall(value)}
            words = [w for w in words if w not in data_words]
        if words:
            found.append(shown)
    return found


@pytest.fixture
def world(app, organiser, make_reg_event, now):
    """An event with a confirmed registrant and an open survey with a question
    of every kind."""
    event = make_reg_event()
    registration = create_registration(event, now, 1)
    opens = wall(min(now, now_utc()) - timedelta(days=1), event)
    closes = wall(max(now, now_utc()) + timedelta(days=10), event)
    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="Before the webinar",
            introduction="Tell us what you expect.",
            kind="pre_event",
            audience="confirmed",
            opens=opens,
            closes=closes,
        ),
        now=now,
    )
    for kind in ALL_KINDS:
        add_question(survey, organiser, question_data(kind), now=now)
    _host_a_plan(event, now)
    db.session.commit()
    return event, registration, survey


def _host_a_plan(event, now) -> None:
    """The event's city with a plan of one published action (its public page)."""
    city = city_for_host("Petaling Jaya", "Malaysia", event.timezone, now=now)
    event.host_city, event.host_city_id = city.name, city.id
    plan = ActionPlan(city_id=city.id, title="Circular plan")
    db.session.add(plan)
    db.session.flush()
    action = Action(
        plan_id=plan.id,
        title="Composting pilot",
        kind="pilot",
        status="delayed",
        progress=30,
        budget_amount=1000,
        budget_currency="EUR",
        start_on=now.date(),
        published_at=now,
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(
        Milestone(
            action_id=action.id,
            title="Sites chosen",
            due_on=now.date() - timedelta(days=3),
        )
    )
    db.session.add(
        ActionUpdate(
            action_id=action.id,
            posted_on=now.date(),
            body="Going.",
            progress=30,
            status_before="in_progress",
            status_after="delayed",
            link="https://example.org/news",
        )
    )


def _pages(event, registration, survey) -> dict[str, tuple[str, bool, dict | None]]:
    """page name -> (path, signed in as the organiser, form sent or None)."""
    slug = event.slug
    pages = {
        "home": ("/", False),
        "event page": (f"/events/{slug}", False),
        "registration form": (f"/events/{slug}/register", False),
        "login": ("/auth/login", False),
        "library": ("/library", False),
        "city's action plan": ("/cities/petaling-jaya/plan", False),
        "registrant's manage page": (urlsplit(manage_url(registration)).path, False),
        "survey page": (
            f"/events/{slug}/surveys/{survey.id}/{survey_token(survey, registration)}",
            False,
        ),
        "organiser's events": ("/manage/", True),
        "organiser's overview": ("/manage/overview", True),
        "event management": (f"/manage/events/{slug}/", True),
        "event edit": (f"/manage/events/{slug}/edit", True),
        "event dashboard": (f"/manage/events/{slug}/dashboard", True),
        "survey builder": (f"/manage/events/{slug}/surveys/{survey.id}", True),
    }
    pages = {name: (path, signed_in, None) for name, (path, signed_in) in pages.items()}
    # Forms sent back empty: the messages next to their fields.
    pages["registration form refused"] = (f"/events/{slug}/register", False, {})
    pages["event edit refused"] = (f"/manage/events/{slug}/edit", True, {})
    pages["login refused"] = ("/auth/login", False, {"email": "x"})
    return pages


def test_the_pseudo_locale_is_served(app, client):
    g.pop("_flask_babel", None)
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "⟦Ĺóĝ íñ ~~⟧" in html


def test_every_main_page_shows_no_unwrapped_english(app, client, organiser, world):
    event, registration, survey = world
    data = _stored_strings()
    allowed = _babel_words()
    found: dict[str, set[str]] = {}
    for name, (path, signed_in, form) in _pages(event, registration, survey).items():
        with client.session_transaction() as session:
            session.clear()
            if signed_in:
                session["_user_id"] = organiser.get_id()
                session["_fresh"] = True
        g.pop("_flask_babel", None)
        headers = {"Accept-Language": "en"}
        if form is None:
            response = client.get(path, headers=headers)
        else:
            response = client.post(path, data=form, headers=headers)
        assert response.status_code in (200, 400, 422), (name, response.status_code)
        html = response.get_data(as_text=True)
        assert PSEUDO_OPEN in html, f"{name}: not rendered in the pseudo-locale"
        texts = set(untranslated(html, data, allowed))
        if texts:
            found[name] = texts
    new = {
        name: sorted(texts - UNWRAPPED.get(name, set()))
        for name, texts in found.items()
        if texts - UNWRAPPED.get(name, set())
    }
    fixed = {
        name: sorted(texts - found.get(name, set()))
        for name, texts in UNWRAPPED.items()
        if texts - found.get(name, set())
    }
    assert not new, f"English not wrapped for translation: {new}"
    assert not fixed, f"wrapped now: remove from UNWRAPPED: {fixed}"


def test_the_detector_finds_english_and_lets_data_and_translations_through():
    html = (
        "<html><head><title>⟦Ŕéĝíšţéŕ ~~⟧</title><style>p{}</style></head><body>"
        "<h1>Designing Circular Cities</h1><p>⟦Ŝéé ~~⟧ Designing Circular Cities</p>"
        "<p>Thu 24 Dec 2026, 16:00 Kuala Lumpur (UTC+8)</p>"
        '<input placeholder="Your name"><button title="⟦Ŝáṽé ~⟧">Save</button>'
        "<script>var English = 1;</script></body></html>"
    )
    found = untranslated(html, ["Designing Circular Cities"], _babel_words())
    assert found == ["Your name", "Save"]
