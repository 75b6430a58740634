"""The demo programme's other events: Petaling Jaya's earlier scoping webinar
(its priorities differ from the consultation's) and Da Nang's webinar."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from consult.challenges.models import Challenge
from consult.cities.models import City
from consult.dashboard.services.dashboard import publication_of
from consult.demo import seed_demo
from consult.demo.scoping import TITLE as SCOPING_TITLE
from consult.demo.second_city import TITLE as DA_NANG_TITLE
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration


def _seed(now):
    seeded = seed_demo(now=now)
    db.session.commit()
    return seeded


def _event(title):
    return db.session.scalar(select(Event).where(Event.title == title))


def test_the_scoping_webinar_came_ten_months_earlier_with_results(app, now):
    consultation = _seed(now).event
    scoping = _event(SCOPING_TITLE)
    assert scoping.status == "published"
    assert scoping.host_city_id == consultation.host_city_id
    assert scoping.programme_id == consultation.programme_id
    assert sorted(p.city.name for p in scoping.partner_cities) == ["Lyon", "Utrecht"]
    gap = consultation.start_at - scoping.end_at
    assert 280 <= gap.days <= 320
    assert scoping.end_at < now
    registrations = list(
        db.session.scalars(
            select(Registration).where(Registration.event_id == scoping.id)
        )
    )
    assert 25 <= len(registrations) <= 35
    assert all(r.status == "confirmed" for r in registrations)
    assert {r.stakeholder_type.key for r in registrations} == {
        "government",
        "private",
        "research",
        "civil_society",
        "informal",
    }
    attended = [r for r in registrations if r.attended]
    assert len(registrations) * 0.7 <= len(attended) < len(registrations)
    assert scoping.attendance_completed_at is not None
    assert all(r.email.isascii() for r in registrations)
    # Both events' results are public, the consultation's challenges carry
    # the scoping ones forward.
    assert publication_of(scoping) is not None
    assert publication_of(consultation) is not None
    carried = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == consultation.id)
        .order_by(Challenge.position)
    ).all()
    firsts = {c.id: c for c in db.session.scalars(select(Challenge))}
    assert len(carried) == 5
    assert all(firsts[c.lineage_id].event_id == scoping.id for c in carried)
    assert firsts[carried[0].lineage_id].title == "Food waste"


GOVERNMENT = "Government &amp; public agencies"


def _lineage_block(html, title):
    start = html.index(f"<h3>{title}</h3>")
    return html[start : html.index("</article>", start)]


def _ranks(block, group):
    row = block[block.index(f'<th scope="row">{group}</th>') :]
    row = row[: row.index("</tr>")]
    return [int(n) for n in re.findall(r"rank (\d+)", row)]


def test_the_city_page_sets_both_events_side_by_side(client, app, now):
    consultation = _seed(now).event
    scoping = _event(SCOPING_TITLE)
    response = client.get("/cities/petaling-jaya")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/events/{consultation.slug}"' in html
    assert f'href="/events/{scoping.slug}"' in html
    plastics = _lineage_block(html, "Plastic pollution and packaging")
    food = _lineage_block(html, "Food and organic waste")
    for block in (plastics, food):
        assert block.count(SCOPING_TITLE) >= 2  # its link and column
        assert "Results not published" not in block
    # Government put plastics first at scoping and lower at the
    # consultation; food waste rose.
    assert _ranks(plastics, GOVERNMENT) == [1, 2]
    scoping_food, consultation_food = _ranks(food, GOVERNMENT)
    assert consultation_food < scoping_food


def test_da_nang_has_its_webinar_and_its_partner(client, app, now):
    _seed(now)
    da_nang = db.session.scalar(select(City).where(City.name == "Da Nang"))
    assert (da_nang.country, da_nang.timezone) == ("Vietnam", "Asia/Ho_Chi_Minh")
    event = _event(DA_NANG_TITLE)
    assert event.status == "published" and event.host_city_id == da_nang.id
    assert (
        db.session.scalar(
            select(func.count(Registration.id)).where(Registration.event_id == event.id)
        )
        >= 3
    )
    response = client.get(f"/cities/{da_nang.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/events/{event.slug}"' in html
    assert 'href="/cities/warsaw"' in html
    assert "deposit-return for bottles" in html


def test_the_programme_page_lists_its_three_events(client, app, now):
    consultation = _seed(now).event
    programme = consultation.programme
    assert (
        db.session.scalar(
            select(func.count(Event.id)).where(Event.programme_id == programme.id)
        )
        == 3
    )
    response = client.get(f"/programmes/{programme.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for event in (consultation, _event(SCOPING_TITLE), _event(DA_NANG_TITLE)):
        assert f'href="/events/{event.slug}"' in html


def test_seeding_twice_adds_no_second_scoping_or_da_nang(app, now):
    _seed(now)
    first = db.session.scalar(select(func.count(Event.id)))
    again = seed_demo(now=now)
    db.session.commit()
    assert not again.created
    assert db.session.scalar(select(func.count(Event.id))) == first == 3
