"""Challenges in the visitor's language, the default text marked where a
translation is missing (issue 19, 4); the organiser's pages keep the default
text and say what is missing."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from consult.challenges.services import invite_expert
from consult.content import localized, text_in
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.notifications.models import OutboundEmail
from tests.content_pages import MARKER, choose, fresh_locale, offer, translate

EVENT_MS = "Reka Bentuk Bandar Kitaran"
FOOD_MS = "Sisa makanan dan organik"
FOOD_TEXT_MS = "Tentang sisa makanan."
PLASTIC_MS = "Pencemaran plastik dan pembungkusan"


@pytest.fixture
def ms_event(ch_event, challenges_of):
    """Offered in Malay: the event's title, the first challenge fully, the
    second's title only, the third not at all."""
    offer(ch_event, "ms")
    translate(ch_event, "ms", title=EVENT_MS)
    food, plastic, _ewaste = challenges_of(ch_event)
    translate(food, "ms", title=FOOD_MS, description=FOOD_TEXT_MS)
    translate(plastic, "ms", title=PLASTIC_MS)
    return ch_event


@pytest.fixture
def reader(client):
    return fresh_locale(client)


def test_text_in_follows_the_composing_language(ms_event, challenges_of):
    food, _plastic, ewaste = challenges_of(ms_event)
    with force_locale("ms"):
        assert text_in(food, "title") == FOOD_MS
        # Not translated: the default text, and localized() says so.
        assert text_in(ewaste, "title") == "Household e-waste"
        shown = localized(ewaste, "title", ms_event.default_language)
        assert (shown.text, shown.language, shown.fallback) == (
            "Household e-waste",
            "en",
            True,
        )
    with force_locale("en"):
        assert text_in(food, "title") == "Food and organic waste"
    assert text_in(food, "title") == "Food and organic waste"


def test_public_page_in_malay_with_the_missing_ones_marked(reader, ms_event):
    choose(reader, "ms")
    page = reader.get(f"/events/{ms_event.slug}/challenges").text
    assert FOOD_MS in page and FOOD_TEXT_MS in page and PLASTIC_MS in page
    assert EVENT_MS in page
    assert "Food and organic waste" not in page
    # The third challenge and the second's description are in English, marked.
    assert '<span lang="en" class="other-language">Household e-waste</span>' in page
    # The e-waste title (in the contents and as its heading) and text, the
    # plastics' text.
    assert page.count(MARKER) == 4
    assert "Inggeris" in page  # the marker names the language in Malay


def test_public_page_in_english_shows_the_default_text(reader, ms_event):
    page = reader.get(
        f"/events/{ms_event.slug}/challenges", headers={"Accept-Language": "en"}
    ).text
    assert "Food and organic waste" in page and "About Food and organic waste." in page
    assert FOOD_MS not in page and EVENT_MS not in page
    assert MARKER not in page


def test_participant_pages_follow_accept_language(
    reader, ms_event, make_registration, token
):
    person = make_registration(ms_event)
    base = f"/events/{ms_event.slug}/registration/{token(person)}"
    malay = {"Accept-Language": "ms"}
    own = reader.get(f"{base}/challenges", headers=malay).text
    assert FOOD_MS in own and EVENT_MS in own
    priorities = reader.get(f"{base}/priorities", headers=malay).text
    assert f">{FOOD_MS} <small" in priorities
    assert ">Household e-waste</span>" in priorities and MARKER in priorities
    form = reader.get(f"{base}/inputs/new", headers=malay).text
    assert f">{PLASTIC_MS}</option>" in form
    english = reader.get(f"{base}/inputs/new").text
    assert ">Plastic pollution and packaging</option>" in english


def test_the_library_names_the_challenge_in_the_visitors_language(
    reader, ms_event, challenges_of, make_input, make_registration
):
    food = challenges_of(ms_event)[0]
    item = make_input(
        ms_event,
        make_registration(ms_event),
        state="published",
        kind="best_practice",
        challenge_id=food.id,
        title="Compost hubs",
        city="Utrecht",
        consent_named=True,
    )
    entry = db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.input_id == item.id)
    )
    choose(reader, "ms")
    page = reader.get(f"/library/{entry.id}").text
    assert FOOD_MS in page


def test_expert_invitation_names_the_event_in_the_experts_language(
    ms_event, organiser, now
):
    # The organiser's page is in English; the invitee reads Malay.
    with force_locale("en"):
        invite_expert(
            ms_event,
            organiser,
            email="ana@example.eu",
            name="Ana",
            now=now,
            language="ms",
        )
    db.session.commit()
    row = db.session.scalar(select(OutboundEmail))
    assert EVENT_MS in row.subject and row.language == "ms"


def test_organiser_pages_keep_the_default_text_and_count_what_is_missing(
    client, login, organiser, ms_event, challenges_of
):
    login(organiser)
    fresh_locale(client)
    base = f"/manage/events/{ms_event.slug}/challenges"
    page = client.get(base).text
    assert "Food and organic waste" in page and FOOD_MS not in page
    # Plastics' description and both texts of e-waste.
    assert "Malay</a>: 3 texts missing" in page
    assert f"/manage/events/{ms_event.slug}/languages?language=ms" in page
    ewaste = challenges_of(ms_event)[2]
    edit = client.get(f"{base}/{ewaste.id}/edit").text
    assert "Malay</a>: 2 texts missing" in edit
    food = challenges_of(ms_event)[0]
    assert "Malay</a>: complete" in client.get(f"{base}/{food.id}/edit").text


def test_no_count_when_the_event_offers_one_language(
    client, login, organiser, ch_event
):
    login(organiser)
    page = client.get(f"/manage/events/{ch_event.slug}/challenges").text
    assert "missing-translations" not in page
