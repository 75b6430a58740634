"""The demo facilitator (issue 20, item 7): her account, the informal-sector
people she registered by phone or in person, and what she recorded for them."""

from __future__ import annotations

import pathlib
import re

from sqlalchemy import select

from consult.auth.models import User
from consult.challenges.models import Input, Priority
from consult.demo import (
    DEMO_FACILITATOR_EMAIL,
    DEMO_FACILITATOR_PASSWORD,
    seed_demo,
)
from consult.extensions import db
from consult.facilitators.models import EventFacilitator
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.scheduler.runner import run_jobs_once
from consult.surveys.models import SurveyParticipation, SurveyResponse

E164_MALAYSIAN_MOBILE = re.compile(r"\+601\d{8,9}")


def test_the_demo_facilitator_and_her_people(app, now, client):
    event = seed_demo(now=now).event
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == DEMO_FACILITATOR_EMAIL))
    assert user.role == "facilitator"
    assert db.session.scalar(
        select(EventFacilitator.id).where(
            EventFacilitator.event_id == event.id, EventFacilitator.user_id == user.id
        )
    )
    people = db.session.scalars(
        select(Registration).where(Registration.facilitated_by_id == user.id)
    ).all()
    assert len(people) == 10
    for person in people:
        assert person.stakeholder_type.key == "informal"
        assert person.email is None and E164_MALAYSIAN_MOBILE.fullmatch(person.phone)
        assert person.channel in ("phone", "in_person")
        assert person.status == "confirmed"
    ids = {p.id for p in people}

    ballots = db.session.scalars(
        select(Priority).where(Priority.registration_id.in_(ids))
    ).all()
    assert {b.registration_id for b in ballots} == ids
    assert {b.facilitated_by_id for b in ballots} == {user.id}
    (item,) = db.session.scalars(
        select(Input).where(Input.registration_id.in_(ids))
    ).all()
    assert (item.facilitated_by_id, item.state) == (user.id, "submitted")
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.registration_id.in_(ids))
    ).all()
    assert len(responses) == 8
    assert {(r.facilitated_by_id, r.status) for r in responses} == {
        (user.id, "submitted")
    }
    participations = db.session.scalars(
        select(SurveyParticipation).where(SurveyParticipation.registration_id.in_(ids))
    ).all()
    assert {p.facilitated_by_id for p in participations} == {user.id}

    # The README's login opens her pages, with her people only.
    login = client.post(
        "/auth/login",
        data={"email": DEMO_FACILITATOR_EMAIL, "password": DEMO_FACILITATOR_PASSWORD},
    )
    assert login.status_code == 302
    page = client.get(f"/facilitate/{event.slug}/").get_data(True)
    assert page.count("/people/") >= 10
    assert "Rosnah binti Ahmad" in page and "Tan Wei Ming" not in page


def test_the_demo_peoples_sms_confirmations_are_written_by_the_scheduler(app, now):
    """`make run` seeds the demo and starts the scheduler: one pass writes the
    ten facilitated people's SMS confirmations under instance/sms/."""
    seed_demo(now=now)
    db.session.commit()
    people = db.session.scalars(
        select(Registration).where(Registration.facilitated_by_id.is_not(None))
    ).all()
    assert len(people) == 10 and all(p.sms_consented_at for p in people)
    queued = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.channel == "sms")
    ).all()
    assert sorted(m.recipient for m in queued) == sorted(p.phone for p in people)
    db.session.commit()  # the scheduler's jobs use connections of their own

    outcomes = run_jobs_once(app, now=now)
    assert not [o for _, o in outcomes if o.startswith("error")], outcomes
    files = sorted(pathlib.Path(app.instance_path, "sms").glob("*.txt"))
    assert len(files) == 10
    recipients = {f.read_text(encoding="utf-8").splitlines()[0] for f in files}
    assert recipients == {f"To: {p.phone}" for p in people}
    db.session.expire_all()
    assert {
        m.status
        for m in db.session.scalars(
            select(OutboundEmail).where(OutboundEmail.channel == "sms")
        )
    } == {"sent"}
