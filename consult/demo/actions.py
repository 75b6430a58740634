"""Demo content for action plans: Petaling Jaya's local action plan.

Eight actions across the five challenges, each built on inputs of the demo
consultation (marked as selected for the plan here when the challenges'
demo left them unmarked), two of them pilots with a European partner city
of the event (Lyon, Utrecht). Milestones, one of them overdue, progress
updates, owners with example.org addresses; seven actions published, one a
draft; one adopted version. Every date counts from ``now`` on the city's
calendar. Called by consult.demo.seed_demo() once the inputs exist; a city
that has a plan already keeps it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from consult.actions.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    Milestone,
    PlanVersion,
)
from consult.actions.services.dates import city_today
from consult.challenges.models import Challenge, Input
from consult.challenges.services import update_moderation
from consult.extensions import db

INTRODUCTION = """\
Petaling Jaya's local action plan turns the stakeholder consultation
*Designing Circular Cities in Malaysia* into activities and pilot projects,
one or more for each of the city's five circular-economy challenges.

Each action names the inputs it builds on, who leads it and with whom, and
reports its progress here. Pilots are run with the city's European partner
cities, which share what worked for them.
"""


@dataclass
class DemoAction:
    challenge: int  # index among the event's five challenges
    title: str
    kind: str
    description: str
    lead: str
    partners: str
    inputs: tuple[str, ...]  # titles of the demo's inputs
    status: str = "planned"
    progress: int = 0
    start: int | None = None  # days from the city's today
    end: int | None = None
    budget: str | None = None  # MYR
    funding: str = ""
    owner: tuple[str, str, str] = ("", "", "en")  # name, email, language
    published: bool = True
    # (title, due in days, done days ago or None)
    milestones: tuple[tuple[str, int, int | None], ...] = ()
    # (days ago, body, progress, status after or None)
    updates: tuple[tuple[int, str, int | None, str | None], ...] = ()
    extra_challenges: tuple[int, ...] = field(default_factory=tuple)


ACTIONS = (
    DemoAction(
        0,
        "Separate food-waste collection at two hawker centres",
        "pilot",
        "Separate bins for food waste at the SS2 and Section 17 hawker "
        "centres, collected daily and composted, with Lyon's bio-waste team "
        "advising on bin design, collection rounds and stallholder outreach.",
        "MBPJ Urban Services Department",
        "City of Lyon (European partner city)\nHawker stallholders' association",
        (
            "Hawker centres have nowhere to put food waste",
            "Milan's neighbourhood food waste hubs",
        ),
        status="in_progress",
        progress=40,
        start=-60,
        end=240,
        budget="180000",
        funding="MBPJ operating budget; city cooperation programme",
        owner=("Lim Mei Ling", "lim.meiling@example.org", "en"),
        milestones=(
            ("Bins installed at both hawker centres", -25, 27),
            ("First month's collection figures published", -4, None),
            ("Decision on extending to five more centres", 150, None),
        ),
        updates=(
            (
                26,
                "Bins installed at SS2 and Section 17; stallholders briefed "
                "in Bahasa Malaysia, Chinese and Tamil.",
                30,
                "in_progress",
            ),
            (
                8,
                "Collection runs daily. About 1.2 tonnes composted in the "
                "first three weeks; Lyon's team visited on site.",
                40,
                None,
            ),
        ),
    ),
    DemoAction(
        1,
        "Bring-your-own-container weeks at night markets",
        "capacity_building",
        "Three night markets hold a week in which customers bring their own "
        "containers, with a deposit cup scheme and training for traders on "
        "cheaper alternatives to single-use packaging.",
        "Zero Waste Malaysia",
        "Night market traders' association\nMBPJ Licensing Department",
        (
            "Bring-your-own-container week at three night markets",
            "Night market traders cannot afford alternatives",
            "Gothenburg's reusable takeaway containers",
        ),
        status="in_progress",
        progress=50,
        start=-30,
        end=120,
        budget="45000",
        funding="Sponsorship by local businesses",
        owner=("Ravi Shankar", "ravi.shankar@example.org", "en"),
        milestones=(
            ("First market week held", -10, 11),
            ("Traders' survey on costs", 30, None),
        ),
        updates=(
            (
                10,
                "The first week at the SS2 night market: 40 traders took "
                "part, customers brought their own boxes for about 2,000 meals.",
                50,
                None,
            ),
        ),
    ),
    DemoAction(
        1,
        "Recognise waste pickers in the city's plastics collection",
        "policy",
        "A registration and identity card for waste pickers, access to the "
        "city's collection points, and a seat for their association in the "
        "city's waste planning.",
        "MBPJ Department of Environment",
        "Community recyclers' association",
        ("Waste pickers collect most recycled plastic and are invisible",),
        progress=10,
        start=0,
        end=365,
        owner=("Nurul Aisyah Rahman", "nurul.aisyah@example.org", "ms"),
        milestones=(("Draft policy for council", 90, None),),
    ),
    DemoAction(
        2,
        "Circular procurement pilot for a council building",
        "pilot",
        "The next renovation of a council building is tendered with "
        "criteria for reused materials and design for disassembly, with "
        "Utrecht's procurement team as peer and a material passport for the "
        "building.",
        "MBPJ Building Department",
        "Municipality of Utrecht (European partner city)\nUniversiti Malaya",
        (
            "Circular procurement pilot for one council building",
            "Material passports for public buildings",
        ),
        status="in_progress",
        progress=20,
        start=-45,
        end=540,
        budget="650000",
        funding="MBPJ capital budget",
        owner=("Kevin Teoh", "kevin.teoh@example.org", "en"),
        milestones=(
            ("Tender criteria agreed with Utrecht", -15, 16),
            ("Tender published", 45, None),
        ),
        updates=(
            (
                16,
                "Criteria for reused materials agreed after two sessions "
                "with Utrecht's procurement team.",
                20,
                "in_progress",
            ),
        ),
    ),
    DemoAction(
        2,
        "Recycled aggregate in council road works",
        "study",
        "Test recycled concrete aggregate in the sub-base of two council road "
        "repairs and compare its cost and durability.",
        "MBPJ Engineering Department",
        "Universiti Malaya, Department of Civil Engineering",
        ("Recycled aggregate in council road works",),
        start=60,
        end=300,
        owner=("Chen Jia Hui", "chen.jiahui@example.org", "zh_Hans"),
        published=False,
        milestones=(("Test sections chosen", 75, None),),
    ),
    DemoAction(
        3,
        "A cooperative of informal e-waste dismantlers",
        "capacity_building",
        "Ten informal dismantlers form a cooperative, are trained in safe "
        "manual dismantling and get protective equipment and a licensed "
        "workshop; the council contracts them for its e-waste collection.",
        "Community recyclers' association",
        "Department of Environment\nAGH University of Krakow",
        (
            "Formalise ten informal dismantlers as a cooperative",
            "Scrap dealers dismantle without protection",
            "Safe manual dismantling centres",
        ),
        status="delayed",
        progress=25,
        start=-90,
        end=270,
        budget="120000",
        funding="State government grant",
        owner=("Siti Aminah", "siti.aminah@example.org", "ms"),
        milestones=(
            ("Cooperative registered", -40, 35),
            ("Workshop licensed", 20, None),
        ),
        updates=(
            (
                35,
                "The cooperative is registered with eight members.",
                25,
                "in_progress",
            ),
            (
                6,
                "The workshop's licence waits for a fire-safety inspection.",
                None,
                "delayed",
            ),
        ),
    ),
    DemoAction(
        3,
        "E-waste drop-off boxes at libraries and malls",
        "investment",
        "Secure drop-off boxes for small electronics at every PJ library and "
        "three shopping malls, emptied by a licensed recycler.",
        "MBPJ Urban Services Department",
        "Licensed e-waste recycler",
        ("E-waste drop-off boxes at every PJ library and mall",),
        status="done",
        progress=100,
        start=-120,
        end=-20,
        budget="30000",
        funding="MBPJ operating budget",
        owner=("Priya Nair", "priya.nair@example.org", "en"),
        milestones=(("Boxes installed", -30, 30),),
        updates=(
            (
                20,
                "All twelve boxes are in place and on the city's website.",
                100,
                "done",
            ),
        ),
    ),
    DemoAction(
        4,
        "A Petaling Jaya map of sharing and repair",
        "investment",
        "A map of every place to borrow, swap, repair or buy second hand in "
        "PJ, kept up to date with the initiatives, printable per "
        "neighbourhood, with collection data published as open data.",
        "MBPJ Digital Services",
        "ShareKL\nCircular Economy Club, Warsaw chapter",
        (
            "Every sharing initiative has its own WhatsApp group",
            "Gothenburg's map of sharing and repair",
            "Open data on PJ waste collection",
        ),
        status="in_progress",
        progress=15,
        start=-14,
        end=200,
        budget="90000",
        funding="Smart city fund",
        owner=("Ong Li Ting", "ong.liting@example.org", "en"),
        milestones=(("First 50 places listed", 40, None),),
        updates=((5, "Workshop with twelve initiatives held.", 15, None),),
        extra_challenges=(3,),
    ),
)


def _selected(event, titles: set[str], organiser, now: datetime) -> dict[str, Input]:
    """The demo inputs the actions build on, marked for the plan."""
    items = db.session.scalars(
        select(Input).where(Input.event_id == event.id, Input.title.in_(titles))
    ).all()
    for item in items:
        if not item.selected_for_plan:
            update_moderation(
                item,
                organiser,
                tags=", ".join(item.tags or []),
                answer=item.answer or "",
                selected_for_plan=True,
                now=now - timedelta(hours=11),
            )
    return {item.title: item for item in items}


def _action(plan, spec: DemoAction, position, challenges, inputs, today, now):
    def day(offset: int | None) -> date | None:
        return None if offset is None else today + timedelta(days=offset)

    action = Action(
        plan_id=plan.id,
        position=position,
        title=spec.title,
        description_md=spec.description,
        kind=spec.kind,
        lead_organisation=spec.lead,
        partners=spec.partners,
        budget_amount=Decimal(spec.budget) if spec.budget else None,
        budget_currency="MYR" if spec.budget else "",
        funding_source=spec.funding,
        start_on=day(spec.start),
        end_on=day(spec.end),
        status=spec.status,
        progress=spec.progress,
        owner_name=spec.owner[0],
        owner_email=spec.owner[1],
        owner_language=spec.owner[2],
        published_at=now - timedelta(days=3) if spec.published else None,
        created_at=now - timedelta(days=4),
        updated_at=now - timedelta(days=1),
    )
    action.challenges = [challenges[spec.challenge]] + [
        challenges[i] for i in spec.extra_challenges
    ]
    action.inputs = [inputs[title] for title in spec.inputs if title in inputs]
    for title, due, done_ago in spec.milestones:
        action.milestones.append(
            Milestone(
                title=title,
                due_on=day(due),
                done_on=day(-done_ago) if done_ago is not None else None,
                created_at=now - timedelta(days=4),
            )
        )
    for ago, body, progress, status_after in spec.updates:
        action.updates.append(
            ActionUpdate(
                posted_on=day(-ago),
                body=body,
                progress=progress,
                status_after=status_after,
                author_name=spec.owner[0],
                created_at=now - timedelta(days=ago),
            )
        )
    return action


def _snapshot(actions: list[Action]) -> dict:
    return {
        "actions": [
            {
                "id": a.id,
                "title": a.title,
                "kind": a.kind,
                "status": a.status,
                "progress": a.progress,
                "milestones": [
                    {"title": m.title, "due_on": m.due_on.isoformat()}
                    for m in a.milestones
                ],
            }
            for a in actions
            if a.is_published
        ]
    }


def seed_actions(event, organiser, *, now: datetime) -> ActionPlan | None:
    """Petaling Jaya's plan from the demo event's inputs; flushes; None when
    the city has a plan already."""
    city = event.city
    if city is None or db.session.scalar(
        select(ActionPlan.id).where(ActionPlan.city_id == city.id)
    ):
        return None
    challenges = list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.event_id == event.id)
            .order_by(Challenge.position, Challenge.id)
        )
    )
    titles = {title for spec in ACTIONS for title in spec.inputs}
    inputs = _selected(event, titles, organiser, now)
    today = city_today(city, now)
    plan = ActionPlan(
        city_id=city.id,
        title=f"{city.name} local action plan for a circular city",
        introduction_md=INTRODUCTION,
        created_by_id=organiser.id,
        created_at=now - timedelta(days=5),
        updated_at=now - timedelta(days=1),
    )
    db.session.add(plan)
    db.session.flush()
    actions = [
        _action(plan, spec, position, challenges, inputs, today, now)
        for position, spec in enumerate(ACTIONS)
    ]
    db.session.add_all(actions)
    db.session.flush()
    db.session.add(
        PlanVersion(
            plan_id=plan.id,
            number=1,
            note="Adopted by the council's environment committee.",
            snapshot=_snapshot(actions),
            published_by_id=organiser.id,
            published_at=now - timedelta(days=2),
        )
    )
    db.session.flush()
    return plan
