"""The demo consultation's dashboard, report and PDF show the demo data."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult.demo import seed_demo
from consult.extensions import db
from consult.registration.models import StakeholderType
from tests.dashboard.conftest import fetch_report_pdf, require_pdf

FIVE_CHALLENGES = (
    "Food and organic waste",
    "Plastic pollution and packaging",
    "Construction material flow and design",
    "Household e-waste",
    # The fifth's title may wrap in the PDF; its start is enough to find it.
    "Digital sharing tools",
)


@pytest.fixture
def demo(app, now, client):
    result = seed_demo(now=now)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = result.organiser.get_id()
        session["_fresh"] = True
    types = list(
        db.session.scalars(
            select(StakeholderType.label).where(
                StakeholderType.event_id == result.event.id
            )
        )
    )
    assert len(types) == 5
    return result.event, types


def _flat(text: str) -> str:
    return " ".join(text.replace("&amp;", "&").split())


def test_demo_dashboard_shows_the_demo_data(demo, client):
    event, types = demo
    response = client.get(f"/manage/events/{event.slug}/dashboard")
    assert response.status_code == 200
    text = _flat(response.get_data(as_text=True))
    for label in types:
        assert label in text
    for title in FIVE_CHALLENGES:
        assert title in text
    assert "No registrations yet." not in text
    assert "No inputs yet." not in text
    assert "No priorities yet." not in text


def test_demo_report_page_shows_the_demo_data(demo, client):
    event, types = demo
    text = _flat(
        client.get(f"/manage/events/{event.slug}/report").get_data(as_text=True)
    )
    assert "Petaling Jaya" in text and "Utrecht" in text
    assert "Welcome and programme context" in text
    for label in types:
        assert label in text
    for title in FIVE_CHALLENGES:
        assert title in text
    assert "Selected for the action plan" in text


def test_demo_report_pdf_contains_the_types_and_the_five_challenges(demo, client):
    require_pdf()
    event, types = demo
    response = fetch_report_pdf(client, event)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for label in types:
        assert label in text, label
    for title in FIVE_CHALLENGES:
        assert title in text, title
