"""The demo consultation: `flask consult seed-demo`."""

from datetime import timedelta

from sqlalchemy import func, select

from consult.demo import DEMO_SLUG, seed_demo
from consult.events.models import Event
from consult.extensions import db
from consult.timeutil import to_local


def test_seed_creates_the_petaling_jaya_consultation(app, now):
    result = seed_demo(now=now)
    db.session.commit()
    event = result.event
    assert result.created
    assert event.slug == DEMO_SLUG
    assert event.status == "published"
    assert event.timezone == "Asia/Kuala_Lumpur"
    local_start = to_local(event.start_at, event.timezone)
    assert (local_start.hour, local_start.minute) == (16, 0)
    assert timedelta(days=20) <= event.start_at - now <= timedelta(days=22)
    assert event.end_at - event.start_at == timedelta(hours=2)
    assert event.host_city == "Petaling Jaya"
    titles = [s.title for s in event.sessions]
    assert titles[0] == "Welcome and programme context"
    assert "Petaling Jaya's five challenges" in titles
    assert all(
        event.start_at <= s.start_at < s.end_at <= event.end_at for s in event.sessions
    )
    assert all(s.speakers for s in event.sessions)


def test_seed_is_idempotent(app, now):
    seed_demo(now=now)
    db.session.commit()
    again = seed_demo(now=now)
    db.session.commit()
    assert not again.created
    assert db.session.scalar(select(func.count(Event.id))) == 1


def test_seed_demo_command_prints_the_demo_login(runner):
    result = runner.invoke(args=["consult", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "organiser@example.org / consult-demo" in result.output
    assert "facilitator@example.org / consult-demo" in result.output
    assert "/events/designing-circular-cities-malaysia" in result.output
    second = runner.invoke(args=["consult", "seed-demo"])
    assert "Already present" in second.output


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, organiser, now):
    from consult.events.models import Event

    db.session.add(
        Event(
            slug="other",
            title="Other",
            timezone="UTC",
            start_at=now + timedelta(days=1),
            end_at=now + timedelta(days=1, hours=1),
            owner_id=organiser.id,
        )
    )
    db.session.commit()
    result = runner.invoke(args=["consult", "seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not seeded" in result.output
    assert db.session.scalar(select(Event.id).where(Event.slug == DEMO_SLUG)) is None


def test_seed_adds_registrations_across_every_stakeholder_type(app, now):
    from consult.registration.models import Registration, StakeholderType

    event = seed_demo(now=now).event
    db.session.commit()
    rows = db.session.execute(
        select(StakeholderType.key, Registration.status, Registration.role,
               Registration.assisted, Registration.country, Registration.channel)
        .join(StakeholderType, Registration.stakeholder_type_id == StakeholderType.id)
        .where(Registration.event_id == event.id)
    ).all()  # fmt: skip
    # About sixty registered online, one by the organiser, ten by the demo
    # facilitator (issue 20).
    assert 65 <= len(rows) <= 75
    assert {r.key for r in rows} == {
        "government", "private", "research", "civil_society", "informal"
    }  # fmt: skip
    statuses = [r.status for r in rows]
    assert statuses.count("waitlisted") >= 2
    assert [r.role for r in rows if r.status == "pending"] == ["expert"]
    assert sum(r.assisted for r in rows) == 11
    assert (
        sorted(r.channel for r in rows if r.channel)
        == ["in_person"] * 4 + ["phone"] * 6
    )
    assert {r.key for r in rows if r.channel} == {"informal"}
    countries = {r.country for r in rows}
    assert "MY" in countries and len(countries - {"MY"}) >= 5
    assert event.confirmed_count == statuses.count("confirmed")
