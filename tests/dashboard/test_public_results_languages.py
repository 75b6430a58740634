"""The published results in the visitor's language (issue 19, 4): a version
freezes the organiser's labels in the default language with their
translations; the page shows them in the visitor's language, files keep the
default-language labels, and versions from before keep working."""

from __future__ import annotations

import copy
import csv
import io

import pytest
from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.dashboard.models import ResultsVersion
from consult.dashboard.services.publication import (
    publication_status,
    publish_results,
)
from consult.extensions import db
from consult.registration.models import StakeholderType
from tests.content_pages import choose, fresh_locale, offer, translate

FOOD_MS = "Sisa makanan dan organik"
GOVERNMENT_MS = "Kerajaan dan agensi awam"


@pytest.fixture
def ms_results(dash_event, organiser, now):
    """Offered in Malay, the first challenge and the government type
    translated, then published."""
    offer(dash_event, "ms")
    food = db.session.scalar(
        select(Challenge)
        .where(Challenge.event_id == dash_event.id)
        .order_by(Challenge.position)
    )
    translate(food, "ms", title=FOOD_MS)
    government = db.session.scalar(
        select(StakeholderType).where(
            StakeholderType.event_id == dash_event.id,
            StakeholderType.key == "government",
        )
    )
    translate(government, "ms", label=GOVERNMENT_MS)
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    return dash_event


def test_a_version_stores_default_labels_with_their_translations(ms_results):
    data = db.session.scalar(select(ResultsVersion)).data
    assert data["types"][0] == [
        "Government & public agencies",
        5,
        {"ms": GOVERNMENT_MS},
    ]
    first = data["priorities"]["challenges"][0]
    assert (first["title"], first["translations"]) == (
        "Food and organic waste",
        {"ms": FOOD_MS},
    )
    assert data["priorities"]["challenges"][1]["translations"] == {}


def test_the_public_page_in_malay(client, ms_results):
    reader = fresh_locale(client)
    choose(reader, "ms")
    page = reader.get(f"/events/{ms_results.slug}/results").text
    assert FOOD_MS in page and GOVERNMENT_MS in page
    # The selected inputs' heading (an input's own title stays as written).
    assert f"<h3>{FOOD_MS}</h3>" in page
    assert "<h3>Food and organic waste</h3>" not in page
    assert ">Food and organic waste<" not in page  # nor in the charts
    # Not translated: the default label.
    assert "Plastic pollution and packaging" in page
    version = reader.get(f"/events/{ms_results.slug}/results/versions/1").text
    assert FOOD_MS in version


def test_the_public_page_in_english(client, ms_results):
    reader = fresh_locale(client)
    page = reader.get(
        f"/events/{ms_results.slug}/results", headers={"Accept-Language": "en"}
    ).text
    assert "Food and organic waste" in page and "Government &amp; public" in page
    assert FOOD_MS not in page and GOVERNMENT_MS not in page
    # The page's head holds its title and styles only.
    head = page.split("</head>")[0]
    assert "<section" not in head and "Results: Designing" in head


def test_downloads_keep_the_default_language(client, login, organiser, ms_results):
    login(organiser)
    reader = fresh_locale(client)
    choose(reader, "ms")
    base = f"/manage/events/{ms_results.slug}"
    exported = reader.get(f"{base}/export/priorities.csv")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert "Food and organic waste" in text and FOOD_MS not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert GOVERNMENT_MS not in {cell for row in rows for cell in row}


def test_a_translation_after_publishing_waits_for_the_next_version(
    client, ms_results, organiser, now
):
    ewaste = db.session.scalar(
        select(Challenge).where(
            Challenge.event_id == ms_results.id, Challenge.title == "Household e-waste"
        )
    )
    assert not publication_status(ms_results).changed
    translate(ewaste, "ms", title="Sisa elektronik isi rumah")
    assert publication_status(ms_results).changed
    reader = fresh_locale(client)
    page = reader.get(
        f"/events/{ms_results.slug}/results", headers={"Accept-Language": "ms"}
    ).text
    assert "Sisa elektronik isi rumah" not in page  # frozen
    publish_results(ms_results, organiser, note="", now=now)
    db.session.commit()
    page = reader.get(
        f"/events/{ms_results.slug}/results", headers={"Accept-Language": "ms"}
    ).text
    assert "Sisa elektronik isi rumah" in page


def test_a_version_from_before_translations_reads_and_is_not_changed(
    client, dash_event, organiser, now
):
    publish_results(dash_event, organiser, note="", now=now)
    db.session.commit()
    version = db.session.scalar(select(ResultsVersion))
    old = copy.deepcopy(version.data)
    old.pop("labels_translated")
    old["types"] = [row[:2] for row in old["types"]]
    for row in [*old["priorities"]["challenges"], *old["priority_types"]]:
        row.pop("translations")
    for group in old["selected"]:
        group.pop("translations")
    version.data = old
    db.session.commit()
    assert not publication_status(dash_event).changed
    reader = fresh_locale(client)
    page = reader.get(
        f"/events/{dash_event.slug}/results", headers={"Accept-Language": "ms"}
    )
    assert page.status_code == 200
    assert "Food and organic waste" in page.text
