"""The demo's directory: fifteen profiles from both continents, three requests."""

from __future__ import annotations

from sqlalchemy import select

from consult.demo import seed_demo
from consult.directory.models import DirectoryProfile, MeetingRequest
from consult.directory.services.listing import DirectoryFilter, directory_page
from consult.extensions import db
from consult.notifications.models import OutboundEmail


def test_demo_directory_has_profiles_and_requests(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    profiles = list(db.session.scalars(select(DirectoryProfile)))
    assert len(profiles) == 15
    people = [p.registration for p in profiles]
    assert all(p.consent_listing and p.status == "confirmed" for p in people)
    countries = {p.country for p in people}
    assert "MY" in countries and len(countries - {"MY"}) >= 5
    assert len({p.stakeholder_type.key for p in people}) >= 4
    assert all(p.challenges for p in profiles)
    requests = list(db.session.scalars(select(MeetingRequest)))
    assert sorted(r.status for r in requests) == ["accepted", "declined", "pending"]
    assert not db.session.scalar(
        select(OutboundEmail.id).where(OutboundEmail.template.like("meeting%"))
    )
    viewer = next(p for p in people if p.full_name == "Tan Wei Ming")
    page = directory_page(viewer, DirectoryFilter(country="NL"), page=1)
    assert [p.full_name for p in page.items] == ["Jan de Vries"]
    assert event.id == viewer.event_id
