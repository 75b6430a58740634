"""Survey averages with each stakeholder group weighted equally (issue 27,
item 4: "the priorities and survey headline figures weighted"): a scale
question's headline is its average, so it gets a weighted average too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from consult.dashboard.services.findings_means import mean_finding
from consult.surveys.models import SurveyQuestion
from consult.surveys.results.aggregate import Group, GroupResult, QuestionResult
from consult.surveys.results.stats import ScaleStats

pytestmark = pytest.mark.usefixtures("app")


def _stats(counts: dict[int, int]) -> ScaleStats:
    n = sum(counts.values())
    mean = sum(v * c for v, c in counts.items()) / n
    return ScaleStats(n, mean, None, sorted((float(v), c) for v, c in counts.items()))


def _question(kind, groups, hidden=()):
    question = SurveyQuestion(id=1, text="How familiar?", kind=kind)
    overall = {}
    results = []
    for key, (label, counts) in enumerate(groups.items(), start=1):
        for value, count in counts.items():
            overall[value] = overall.get(value, 0) + count
        shown = label not in hidden
        results.append(
            GroupResult(
                Group(key, label),
                sum(counts.values()),
                not shown,
                _stats(counts) if shown else None,
            )
        )
    stats = _stats(overall)
    return QuestionResult(question, stats.n, False, stats, results)


def test_a_weighted_average_is_the_mean_of_the_groups_averages():
    q = _question(
        "likert",
        {
            "Government": {5: 20},  # 20 people at 5
            "Private sector": {1: 4, 2: 1},  # 5 people, mean 6/5
            "Youth": {3: 1},  # one person: not weighted on their own
        },
    )
    found = mean_finding(q, min_group=5)
    # Raw: (100 + 6 + 3) / 26 = 4.19; weighted: (5 + 1.2) / 2 = 3.1.
    assert found.mean == Decimal("4.2")
    assert found.weighted == Decimal("3.1")
    assert found.weighted_groups == ["Government", "Private sector"]
    assert found.small_groups == ["Youth"]
    assert found.mean_sentence() == "Average 4.2 on a 1–5 scale"
    assert found.weighted_sentence() == (
        "Average, each group weighted equally: 3.1 on a 1–5 scale"
    )
    assert found.small_sample  # 26 < 30


def test_no_weighted_average_with_fewer_than_two_groups_or_hidden_ones():
    q = _question(
        "rating",
        {"Government": {8: 6}, "Private sector": {2: 5}, "Research": {0: 2}},
        hidden=("Private sector",),
    )
    found = mean_finding(q, min_group=5)
    assert found.weighted is None and found.weighted_groups == []
    assert found.weighted_sentence() is None
    assert found.mean_sentence() == "Average 4.5 out of 10"  # 58 / 13 = 4.46
    assert found.small_groups == ["Private sector", "Research"]


def test_the_demo_dashboard_and_report_state_the_weighted_average(app, now, client):
    """Through the pages, against an average worked out here from the rows."""
    from collections import defaultdict
    from fractions import Fraction

    from sqlalchemy import text

    from consult.demo import seed_demo
    from consult.extensions import db

    result = seed_demo(now=now)
    db.session.commit()
    event = result.event
    question = db.session.execute(
        text(
            "SELECT q.id, q.text FROM survey_questions q JOIN surveys s"
            " ON s.id = q.survey_id WHERE s.event_id = :e AND q.kind = 'likert'"
            " AND s.anonymous = :no"
        ),
        {"e": event.id, "no": False},
    ).one()
    rows = db.session.execute(
        text(
            "SELECT r.stakeholder_type_id AS kind, a.number_value AS value"
            " FROM survey_answers a JOIN survey_responses sr ON sr.id = a.response_id"
            " JOIN registrations r ON r.id = sr.registration_id"
            " WHERE a.question_id = :q AND sr.status = 'submitted'"
            " AND r.status = 'confirmed' AND r.erased_at IS NULL"
        ),
        {"q": question.id},
    ).all()
    by_group = defaultdict(list)
    for row in rows:
        by_group[row.kind].append(Fraction(row.value))
    means = [sum(v) / len(v) for v in by_group.values() if len(v) >= 5]
    assert len(means) >= 2
    # One decimal, half up, by hand: the exact average in tenths.
    exact = sum(means) / len(means) * 10
    tenths = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
    expected = f"{tenths // 10}.{tenths % 10}"
    with client.session_transaction() as session:
        session["_user_id"] = result.organiser.get_id()
        session["_fresh"] = True
    html = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)
    assert f"Average, each group weighted equally: {expected} on a 1–5 scale" in html
