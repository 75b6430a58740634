"""The public plan's service: what it shows, grouped how, and what it never shows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from consult.actions.models import ActionPlan
from consult.actions.services.public_plan import (
    city_with_public_plan,
    public_plan,
)
from consult.actions.services.public_priorities import (
    SHOWN,
    TOO_FEW,
    UNPUBLISHED,
)
from consult.cities.services import city_for_host
from consult.dashboard.services.publication import unpublish_results
from consult.errors import NotFound
from consult.extensions import db
from tests.actions.conftest import SECRET_TITLE
from tests.dashboard.conftest import types_of

KL = ZoneInfo("Asia/Kuala_Lumpur")
OTHER = "Other groups (combined)"


def _section(page, challenge):
    return next(s for s in page.sections if s.challenge is challenge)


def test_actions_are_grouped_by_challenge_once_each(plan_city, now):
    page = public_plan(plan_city.city.slug, now=now)
    first, second, third = plan_city.challenges
    titles = [s.challenge.title if s.challenge else None for s in page.sections]
    # Every challenge of the consultation, then the actions answering none.
    assert titles == [c.title for c in plan_city.challenges] + [None]
    # The pilot answers two challenges: in full under the first, named under
    # the second, which so lists everything done for it.
    assert [a.action for a in _section(page, first).actions] == [plan_city.pilot]
    assert _section(page, first).also == []
    assert _section(page, second).actions == []
    assert [a.action for a in _section(page, second).also] == [plan_city.pilot]
    # The third challenge's only action is unpublished: nothing shows.
    assert _section(page, third).count == 0
    other = page.sections[-1]
    assert [a.action for a in other.actions] == [plan_city.study]


def test_only_published_actions_show(plan_city, now):
    page = public_plan(plan_city.city.slug, now=now)
    shown = [a.action for s in page.sections for a in (*s.actions, *s.also)]
    assert plan_city.secret not in shown
    assert SECRET_TITLE not in {a.title for a in shown}
    assert page.summary.actions == 2


def test_no_page_for_an_unknown_city_or_a_plan_without_published_actions(
    plan_city, now
):
    with pytest.raises(NotFound):
        public_plan("atlantis", now=now)
    plan_city.pilot.published_at = None
    plan_city.study.published_at = None
    db.session.commit()
    with pytest.raises(NotFound):
        public_plan(plan_city.city.slug, now=now)
    assert city_with_public_plan(plan_city.event) is None
    # A city without a plan at all.
    bare = city_for_host("Subang Jaya", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    db.session.commit()
    with pytest.raises(NotFound):
        public_plan(bare.slug, now=now)


def test_the_event_links_to_its_city_once_an_action_is_published(plan_city, now):
    assert city_with_public_plan(plan_city.event) == plan_city.city
    other = plan_city.event
    other.host_city_id = None
    db.session.commit()
    assert city_with_public_plan(other) is None


def test_summary_counts_statuses_and_averages_progress(plan_city, now):
    plan_city.study.status = "dropped"
    plan_city.study.progress = 90
    db.session.commit()
    summary = public_plan(plan_city.city.slug, now=now).summary
    assert dict(summary.by_status) == {
        "planned": 0,
        "in_progress": 1,
        "done": 0,
        "delayed": 0,
        "dropped": 1,
    }
    # A dropped action does not pull the average: only the pilot's 40%.
    assert summary.progress == 40
    assert (summary.milestones, summary.milestones_done) == (2, 1)


def test_priorities_per_group_keep_small_groups_combined(plan_city, now):
    page = public_plan(plan_city.city.slug, now=now)
    first = _section(page, plan_city.challenges[0]).priorities
    assert first.state == SHOWN
    labels = {key: t.label for key, t in types_of(plan_city.event).items()}
    rows = {g.label: g for g in first.groups}
    # Government (5 ballots) alone; private 4, research 2, civil society 1
    # only together (7), never on their own.
    assert set(rows) == {labels["government"], OTHER}
    assert rows[OTHER].ballots == 7 and rows[OTHER].combined
    # Government's points: 19, 14 and 17 of 50 for the three challenges.
    assert rows[labels["government"]].share == Decimal(38)
    assert rows[labels["government"]].rank == 1
    second = _section(page, plan_city.challenges[1]).priorities
    assert {g.label: g.rank for g in second.groups}[labels["government"]] == 3
    assert all(g.ballots >= 5 for g in first.groups)
    assert (first.ballots, first.challenges) == (12, 3)


def test_a_lower_threshold_shows_more_groups(app, plan_city, now, monkeypatch):
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 3)
    page = public_plan(plan_city.city.slug, now=now)
    labels = {key: t.label for key, t in types_of(plan_city.event).items()}
    rows = {g.label: g.ballots for g in _section(page, plan_city.challenges[0])
            .priorities.groups}  # fmt: skip
    assert rows == {labels["government"]: 5, labels["private"]: 4, OTHER: 3}


def test_too_few_ballots_show_no_figures(app, plan_city, now, monkeypatch):
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 13)
    page = public_plan(plan_city.city.slug, now=now)
    priorities = _section(page, plan_city.challenges[0]).priorities
    assert priorities.state == TOO_FEW
    assert priorities.groups == [] and priorities.overall_share is None


def test_unpublished_results_show_no_priorities(plan_city, now):
    unpublish_results(plan_city.event)
    db.session.commit()
    page = public_plan(plan_city.city.slug, now=now)
    for section in page.sections[:3]:
        assert section.priorities.state == UNPUBLISHED
        assert section.priorities.groups == []


def test_inputs_link_back_and_name_consenting_authors_only(plan_city, now):
    page = public_plan(plan_city.city.slug, now=now)
    card = _section(page, plan_city.challenges[0]).actions[0]
    inputs = plan_city.event.test_inputs
    # The hidden input is not on its event's page: not here either.
    assert [link.item for link in card.inputs] == [inputs[0], inputs[2]]
    named, unnamed = card.inputs
    assert named.author == "Participant 0"
    assert named.challenge_key == str(inputs[0].challenge_id)
    assert unnamed.author is None and unnamed.organisation is None


def test_timeline_orders_milestones_and_updates_by_date(plan_city, now):
    page = public_plan(plan_city.city.slug, now=now)
    card = _section(page, plan_city.challenges[0]).actions[0]
    kinds = [
        ("milestone", e.milestone.title) if e.milestone else ("update", e.on)
        for e in card.timeline
    ]
    assert kinds == [
        ("milestone", "Partners signed"),
        ("update", plan_city.due_on - timedelta(days=15)),
        ("milestone", "Sites chosen"),
    ]
    assert [e.on for e in card.timeline] == sorted(e.on for e in card.timeline)
    assert card.budget.endswith("250,000.00") and "MYR" in card.budget


@pytest.mark.parametrize(
    ("day_offset", "clock", "overdue"),
    [(0, time(23, 30), False), (1, time(0, 30), True)],
)
def test_overdue_at_the_citys_own_date(plan_city, day_offset, clock, overdue):
    """Due on D: not overdue at 23:30 on D in Kuala Lumpur, overdue at 00:30
    on D+1 (16:30 UTC on D, when the server's date is still D)."""
    moment = datetime.combine(
        plan_city.due_on + timedelta(days=day_offset), clock, tzinfo=KL
    )
    page = public_plan(plan_city.city.slug, now=moment)
    card = _section(page, plan_city.challenges[0]).actions[0]
    entry = next(e for e in card.timeline if e.milestone == plan_city.due)
    assert entry.overdue is overdue
    assert page.summary.overdue == (1 if overdue else 0)
    done = next(e for e in card.timeline if e.milestone == plan_city.done)
    assert done.overdue is False  # done ones never are


def test_a_plan_of_another_city_is_not_this_ones(plan_city, now):
    other = city_for_host("Ipoh", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    db.session.add(ActionPlan(city_id=other.id, title="Ipoh plan"))
    db.session.commit()
    with pytest.raises(NotFound):
        public_plan(other.slug, now=now)
