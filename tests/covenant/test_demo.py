"""The demo's Covenant of Mayors commitments for Petaling Jaya."""

from __future__ import annotations

from sqlalchemy import select

from consult.covenant.models import PILLARS, CovenantCommitment
from consult.demo import seed_demo
from consult.demo.covenant import COMMITMENTS, seed_covenant
from consult.extensions import db


def test_petaling_jaya_has_a_commitment_per_pillar_served_by_plan_actions(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    rows = db.session.scalars(
        select(CovenantCommitment).where(
            CovenantCommitment.city_id == event.host_city_id
        )
    ).all()
    assert sorted(c.pillar for c in rows) == sorted(PILLARS)
    for commitment in rows:
        assert commitment.actions, commitment.title
        assert all(a.plan.city_id == event.host_city_id for a in commitment.actions)
        assert commitment.status_on <= now.date()
    # Every action the demo names exists in the demo plan.
    named = {t for spec in COMMITMENTS for t in spec.actions}
    linked = {a.title for c in rows for a in c.actions}
    assert named == linked
    # One serving action is a draft: the city page shows it nowhere.
    assert any(not a.is_published for c in rows for a in c.actions)
    mitigation = next(c for c in rows if c.pillar == "mitigation")
    assert (mitigation.reduction_percent, mitigation.base_year) == (40, 2015)


def test_the_city_page_of_the_demo_shows_the_three_pillars(client, app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    html = client.get(f"/cities/{event.city.slug}").get_data(as_text=True)
    section = html.split('id="covenant"', 1)[1]
    for heading in ("Mitigation", "Adaptation", "Access to energy"):
        assert f"<h3>{heading}</h3>" in section
    assert "Recycled aggregate in council road works" not in html  # a draft


def test_seeding_again_leaves_the_commitments_alone(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    assert seed_covenant(event, now=now) == []
    count = db.session.query(CovenantCommitment).count()
    assert count == len(COMMITMENTS)
