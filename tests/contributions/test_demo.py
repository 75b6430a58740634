"""The contributions part of the demo consultation."""

from collections import Counter

from sqlalchemy import select

from consult.challenges.services import event_challenges
from consult.contributions.models import CityChallenge, Proposal
from consult.demo import seed_demo
from consult.extensions import db


def test_demo_has_six_proposals_three_in_the_agenda(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    proposals = list(
        db.session.scalars(select(Proposal).where(Proposal.event_id == event.id))
    )
    assert Counter(p.status for p in proposals) == {
        "accepted": 3,
        "reserve": 1,
        "rejected": 2,
    }
    accepted = [p for p in proposals if p.status == "accepted"]
    assert all(p.session in event.sessions for p in accepted)
    assert all(p.ratings and len(p.ratings) == 2 for p in proposals)
    # The agenda still fits the event, without overlaps.
    sessions = sorted(event.sessions, key=lambda s: s.start_at)
    assert all(
        event.start_at <= s.start_at < s.end_at <= event.end_at for s in sessions
    )
    assert all(
        a.end_at <= b.start_at for a, b in zip(sessions, sessions[1:], strict=False)
    )
    assert {s.speakers[0].name for p in accepted for s in [p.session]} == {
        "Marta Kowalska",
        "Jan de Vries",
        "Élodie Martin",
    }


def test_demo_city_challenges_are_linked_not_duplicated(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    challenges = event_challenges(event)
    items = list(db.session.scalars(select(CityChallenge)))
    assert len(challenges) == 5 and len(items) == 5
    assert {i.challenge_id for i in items} == {c.id for c in challenges}
    assert all(i.status == "approved" for i in items)
    assert items[0].representative.city == "Petaling Jaya"


def test_demo_pages_render(app, client, login, now):
    result = seed_demo(now=now)
    db.session.commit()
    event, organiser = result.event, result.organiser
    public = client.get(f"/events/{event.slug}/contribute").get_data(as_text=True)
    assert "In the programme" in public and "Marta Kowalska" in public
    marta = db.session.scalar(
        select(Proposal).where(Proposal.slides_file_id.is_not(None))
    )
    slides = client.get(f"/events/{event.slug}/contributions/{marta.id}/slides")
    assert slides.status_code == 200 and slides.data.startswith(b"%PDF-")
    assert "Slides (PDF)" in public
    login(organiser)
    base = f"/manage/events/{event.slug}/contributions"
    html = client.get(base).get_data(as_text=True)
    assert "Blockchain tokens for recycling behaviour" in html
    proposal = db.session.scalar(select(Proposal).where(Proposal.status == "reserve"))
    page = client.get(f"{base}/{proposal.id}")
    assert page.status_code == 200 and "Average: 3.5 from 2 ratings" in page.get_data(
        as_text=True
    )
    city = client.get(f"{base}/city").get_data(as_text=True)
    assert "Lim Mei Ling" in city and "On the challenge list" in city
