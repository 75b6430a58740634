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
    # The consultation, Petaling Jaya's scoping webinar and Da Nang's
    # webinar (tests/test_demo_programme.py), once each.
    assert db.session.scalar(select(func.count(Event.id))) == 3


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


def test_seed_gives_petaling_jaya_an_action_plan_built_on_the_inputs(app, now):
    from consult.actions.models import ActionPlan, PlanVersion
    from consult.actions.services.dates import city_today

    event = seed_demo(now=now).event
    db.session.commit()
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.city_id == event.host_city_id)
    )
    assert plan.city.name == "Petaling Jaya" and plan.introduction_md
    actions = plan.actions
    assert 7 <= len(actions) <= 9
    from consult.challenges.models import Challenge

    answered = {c.id for a in actions for c in a.challenges}
    five = db.session.scalars(
        select(Challenge.id).where(Challenge.event_id == event.id)
    )
    assert set(five) == answered and len(answered) == 5
    published = [a for a in actions if a.is_published]
    assert len(actions) - len(published) == 1
    partner_cities = {city.name for city in event.partner_cities}
    pilots = [a for a in actions if a.kind == "pilot"]
    assert len(pilots) == 2
    for pilot in pilots:
        assert {
            p.split(" (")[0].removeprefix("Municipality of ").removeprefix("City of ")
            for p in pilot.partners.splitlines()
        } & partner_cities
    for action in actions:
        assert action.inputs, action.title
        assert all(
            i.event_id == event.id and i.selected_for_plan for i in action.inputs
        )
        assert action.owner_email.endswith("@example.org")
        assert 0 <= action.progress <= 100
    today = city_today(plan.city, now)
    overdue = [m for a in actions for m in a.milestones if m.is_overdue(today)]
    assert len(overdue) == 1 and overdue[0].action.is_published
    assert sum(len(a.updates) for a in published) >= 5
    versions = db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id)
    ).all()
    assert [v.number for v in versions] == [1]
    assert len(versions[0].snapshot["actions"]) == len(published)
    # The security world takes the first published action: it has a
    # milestone and an update.
    first = min(published, key=lambda a: a.id)
    assert first.milestones and first.updates


def test_seed_leaves_a_city_plan_that_exists_alone(app, now):
    from consult.actions.models import Action

    first = seed_demo(now=now).event
    first.slug = "earlier-consultation"  # as the security world does
    db.session.commit()
    count = db.session.scalar(select(func.count(Action.id)))
    again = seed_demo(now=now)  # a second event hosted by the same city
    db.session.commit()
    assert again.created and again.event.host_city_id == first.host_city_id
    assert db.session.scalar(select(func.count(Action.id))) == count
