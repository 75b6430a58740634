"""The report and the dashboard state rankings with ties, through HTTP."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from consult.challenges.models import Challenge, Priority
from consult.extensions import db
from consult.registration.models import Registration
from tests.clock import field, wall
from tests.dashboard.conftest import PAYLOAD
from tests.effects import committed
from tests.registration.test_public_pages import form


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_report_states_the_ranking_with_its_tie(dash_event, organiser, login, client):
    # Every challenge of the fixture has 40 points (6, 3 and 1 in turn).
    login(organiser)
    text = _text(client.get(f"/manage/events/{dash_event.slug}/report"))
    assert (
        "Food and organic waste, Plastic pollution and packaging and Household "
        "e-waste tie for place 1, 40 points each"
    ) in text
    assert "Ranking of the challenges, all stakeholder groups (12 ballots):" in text
    # Only government has five ballots: no divergence figure, and why.
    assert "Ranking by Government & public agencies (5 ballots):" in text
    # The smaller groups are folded into one combined row (not ranked: it is no
    # group), and not named: the overall points minus government's would be
    # theirs.
    assert "Not ranked on their own" not in text
    assert "Other groups (combined) (n = 7)" in text
    assert (
        "Fewer than two stakeholder groups have 5 ballots or more: no divergence "
        "between groups is stated."
    ) in text
    assert "Most disputed" not in text
    assert "Each group weighted equally" in text
    # The survey's single choice: 4 and 4 of 8, tied, with a small-sample note.
    assert "Most chosen, tied: Food waste and Packaging (50% each)" in text
    assert "Small sample: fewer than 30 respondents" in text


def test_dashboard_states_the_ranking_and_the_weighted_view(
    dash_event, organiser, login, client
):
    login(organiser)
    text = _text(client.get(f"/manage/events/{dash_event.slug}/dashboard"))
    assert "tie for place 1, 40 points each" in text
    assert "Each group weighted equally" in text
    assert "Shares with 95% intervals, and each group weighted equally" in text


def _manage_link(outbox, email: str, slug: str) -> str:
    """The personal manage link of the confirmation email sent to ``email``."""
    for row in outbox():
        found = re.search(rf"/events/{slug}/registration/[\w.-]+", row.body_text or "")
        if row.recipient == email and found:
            return found.group(0)
    raise AssertionError(f"no manage link emailed to {email}")


def test_journey_challenges_votes_and_the_report_names_the_tie(
    app, client, login, organiser, reg_event, outbox
):
    """An organiser adds the challenges and opens prioritisation through the
    pages, ten people register and vote through the link they were emailed, and the report states
    the ranking with its ties, overall and per group."""
    slug = reg_event.slug
    login(organiser)
    base = f"/manage/events/{slug}/challenges"
    for title in ("Construction", "Digital", "Food"):
        added = client.post(
            base,
            data={"title": title, "category": "water", "city": "PJ", "description": ""},
        )
        assert added.status_code == 302
    opened = client.post(
        f"{base}/window",
        data={
            "opens_at": field(wall(-4, 9)),
            "closes_at": field(wall(26, 9)),
            "priority_method": "points",
        },
    )
    assert opened.status_code == 302
    challenges = {
        c.title: c.id
        for c in committed().scalars(
            select(Challenge).where(Challenge.event_id == reg_event.id)
        )
    }
    assert set(challenges) == {"Construction", "Digital", "Food"}

    # Government gives Food 4, Construction 3, Digital 3; the private sector
    # Food 2, Construction 4, Digital 4. Overall: Construction and Digital 35,
    # Food 30.
    ballots = {"government": (3, 3, 4), "private": (4, 4, 2)}
    participant = app.test_client()
    for key, (construction, digital, food) in ballots.items():
        for i in range(5):
            email = f"{key}{i}@example.org"
            registered = participant.post(
                f"/events/{slug}/register",
                data=form(email=email, full_name=f"{key} {i}", type_key=key),
            )
            assert registered.status_code == 200
            person = committed().scalar(
                select(Registration).where(Registration.email == email)
            )
            assert person.status == "confirmed"
            url = _manage_link(outbox, email, slug) + "/priorities"
            saved = participant.post(
                url,
                data={
                    f"c-{challenges['Construction']}": str(construction),
                    f"c-{challenges['Digital']}": str(digital),
                    f"c-{challenges['Food']}": str(food),
                },
            )
            assert saved.status_code == 302
    db.session.rollback()
    assert (
        committed().scalar(
            select(db.func.count())
            .select_from(Priority)
            .where(Priority.event_id == reg_event.id)
        )
        == 30
    )

    text = _text(client.get(f"/manage/events/{slug}/report"))
    assert "Construction and Digital tie for place 1, 35 points each" in text
    assert "Place 3: Food, 30 points" in text
    assert "Ranking by Government & public agencies (5 ballots):" in text
    assert "Construction and Digital tie for place 2, 15 points each" in text
    # Divergence: Food 40% of the government's points, 20% of the private
    # sector's: 20 percentage points; the others 30 against 40.
    assert "Most disputed: Food (20 percentage points)." in text
    assert "Groups compared: Government & public agencies and Private sector" in text
    # Each group weighted equally: Construction and Digital (30+40)/2 = 35%,
    # Food (40+20)/2 = 30%.
    assert "Construction and Digital tie for place 1, 35.0% each" in text
    assert "Weighting the groups equally gives the same order." in text


def test_names_in_the_findings_stay_inert(dash_event, organiser, login, client):
    first = db.session.scalars(
        select(Challenge).where(Challenge.event_id == dash_event.id)
    ).first()
    first.title = PAYLOAD
    db.session.commit()
    login(organiser)
    raw = client.get(f"/manage/events/{dash_event.slug}/report").get_data(as_text=True)
    assert PAYLOAD not in raw
    assert "&lt;script&gt;alert" in raw
    assert "tie for place 1, 40 points each" in raw
