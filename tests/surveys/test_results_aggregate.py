"""Survey results: SQL aggregates equal a Python reference; fixed query count."""

from __future__ import annotations

import random

import pytest

from consult.database import is_postgresql
from consult.extensions import db
from consult.surveys.results import load_survey, survey_results
from consult.surveys.results.stats import median_of, nps_of
from tests.surveys.results_fixtures import *  # noqa: F403
from tests.surveys.results_fixtures import (
    TYPE_KEYS,
    add_response,
    build_survey,
    random_spec,
    ref_choice,
    ref_matrix,
    ref_nps,
    ref_ranking,
    ref_scale,
)


def populate(survey, event, stype, now, n, seed=7):
    """n random submitted responses spread over the types, plus ignored drafts."""
    rng = random.Random(seed)
    specs = {}
    for _i in range(n):
        key = rng.choice(TYPE_KEYS)
        spec = random_spec(rng)
        add_response(survey, spec, type_id=stype(event, key).id, now=now)
        specs.setdefault(key, []).append(spec)
    # Drafts never count, whatever they hold.
    for _i in range(3):
        add_response(
            survey,
            {"rating": 0, "likert": 1},
            type_id=stype(event, "government").id,
            now=now,
            status="draft",
        )
    db.session.commit()
    return specs


def question(results, kind):
    return next(q for q in results.questions if q.kind == kind)


def group_stats(q, type_id):
    return next(g for g in q.groups if g.group.key == type_id)


def assert_choice(stats, specs, kind):
    n, counts = ref_choice(specs, kind)
    assert stats.n == n
    for i, row in enumerate(stats.rows[:4]):
        assert row.count == counts.get(i, 0)
        assert row.share == pytest.approx(counts.get(i, 0) / n if n else 0)
    if kind == "single_choice":
        other = stats.rows[4]
        assert other.option_id is None and other.count == counts.get("other", 0)


def assert_scale(stats, specs, kind):
    n, mean, median, counts = ref_scale(specs, kind)
    assert stats.n == n
    assert stats.mean == pytest.approx(mean) if mean is not None else stats.mean is None
    assert stats.median == pytest.approx(median) if median is not None else True
    assert {v: c for v, c in stats.distribution if c} == dict(counts)


def assert_all_kinds(q_of, specs):
    """Compare every kind's stats with the reference for one set of specs."""
    assert_choice(q_of("single_choice"), specs, "single_choice")
    assert_choice(q_of("multiple_choice"), specs, "multiple_choice")
    for kind in ("likert", "rating", "number"):
        assert_scale(q_of(kind), specs, kind)
    promoters, passives, detractors, score = ref_nps(specs)
    nps = q_of("rating").nps
    assert (nps.promoters, nps.passives, nps.detractors) == (
        promoters,
        passives,
        detractors,
    )
    assert nps.score == pytest.approx(score) if score is not None else nps.score is None
    ranks = ref_ranking(specs)
    by_label = {row.label: row for row in q_of("ranking").items}
    from tests.surveys.results_fixtures import OPTIONS

    for i, (mean, counter) in ranks.items():
        row = by_label[OPTIONS[i]]
        assert row.mean_rank == pytest.approx(mean) if mean is not None else True
        assert row.rank_counts == [counter.get(r, 0) for r in range(1, 5)]
    means = [r.mean_rank for r in q_of("ranking").items if r.mean_rank is not None]
    assert means == sorted(means)
    matrix = ref_matrix(specs)
    for i, statement in enumerate(q_of("likert_matrix").statements):
        n, mean, median = matrix[i]
        assert statement.stats.n == n
        if n:
            assert statement.stats.mean == pytest.approx(mean)
            assert statement.stats.median == pytest.approx(median)
    texts = [s for s in specs if s.get("short_text") is not None]
    assert q_of("short_text").n == len(texts)


def test_every_kind_overall_and_by_type_matches_the_reference(
    app, reg_event, stype, now
):
    survey = build_survey(reg_event, now=now)
    specs = populate(survey, reg_event, stype, now, n=60)
    results = survey_results(survey)
    everyone = [s for group in specs.values() for s in group]
    assert results.responses == 60
    assert_all_kinds(lambda kind: question(results, kind).overall, everyone)
    for key, group_specs in specs.items():
        type_id = stype(reg_event, key).id
        assert_all_kinds(
            lambda kind, t=type_id: group_stats(question(results, kind), t).stats,
            group_specs,
        )
        assert results.responses_by_group[type_id] == len(group_specs)


def test_no_responses_gives_empty_results(app, reg_event, now):
    survey = build_survey(reg_event, now=now)
    results = survey_results(survey)
    assert results.responses == 0
    assert all(q.n == 0 and not q.hidden for q in results.questions)
    assert question(results, "likert").overall.mean is None


def test_query_count_does_not_grow_with_the_data(
    app, make_reg_event, stype, now, count_queries
):
    small_event = make_reg_event(title="Small")
    big_event = make_reg_event(title="Big")
    small = build_survey(small_event, now=now)
    big = build_survey(big_event, now=now)
    populate(small, small_event, stype, now, n=3, seed=1)
    populate(big, big_event, stype, now, n=80, seed=2)
    counts = []
    for survey in (small, big):
        key = (survey.id, survey.event_id)
        db.session.expire_all()
        result, n = count_queries(lambda k=key: survey_results(load_survey(*k)))
        assert result.responses in (3, 80)
        counts.append(n)
    assert counts[0] == counts[1]
    # survey + questions + options, types, responses by type, answers,
    # respondents, audience rates; PostgreSQL reads the answers and the
    # respondents in one grouped query.
    assert counts[0] == (7 if is_postgresql(db.session) else 8)


def test_median_of_a_distribution():
    assert median_of([(1.0, 1), (2.0, 1), (5.0, 1)]) == 2
    assert median_of([(1.0, 2), (4.0, 2)]) == 2.5
    assert median_of([(3.0, 0), (7.0, 1)]) == 7
    assert median_of([(1.0, 0)]) is None


def test_nps_bands():
    nps = nps_of([(float(v), 1) for v in range(11)])
    assert (nps.detractors, nps.passives, nps.promoters) == (7, 2, 2)
    assert nps.score == pytest.approx(100 * (2 - 7) / 11)


def test_response_rate_uses_the_audience_now(
    app, reg_event, make_registration, stype, now
):
    survey = build_survey(reg_event, now=now)
    gov = [make_registration(reg_event, type_key="government") for _i in range(4)]
    research = make_registration(reg_event, type_key="research")
    gone = make_registration(reg_event, type_key="research")
    make_registration(reg_event, type_key="private", status="pending")
    for person in (gov[0], gov[1], research, gone):
        add_response(
            survey,
            {"likert": 3},
            type_id=person.stakeholder_type_id,
            registration=person,
            now=now,
        )
    gone.status = "cancelled"
    db.session.commit()
    results = survey_results(survey)
    assert (results.overall_rate.audience, results.overall_rate.responded) == (5, 3)
    rates = {r.group.key: r for r in results.rates}
    assert (
        rates[stype(reg_event, "government").id].audience,
        rates[stype(reg_event, "government").id].responded,
    ) == (4, 2)
    assert rates[stype(reg_event, "research").id].share == 1
    assert rates[stype(reg_event, "private").id].share is None


def test_public_survey_has_no_response_rate(app, reg_event, now):
    survey = build_survey(reg_event, audience="public", now=now)
    add_response(survey, {"likert": 4}, now=now)
    db.session.commit()
    results = survey_results(survey)
    assert results.rates == [] and results.overall_rate is None
    assert [g.label for g in results.groups][-1] == "Public link"
    assert results.responses_by_group == {None: 1}


def test_text_list_query_count_does_not_grow_with_the_data(
    app, make_reg_event, stype, now, count_queries
):
    from consult.surveys.results import text_answers

    counts = []
    for size in (2, 60):
        event = make_reg_event(title=f"Event {size}")
        survey = build_survey(event, now=now, kinds=("short_text",))
        for i in range(size):
            add_response(
                survey,
                {"short_text": f"Idea {i}"},
                type_id=stype(event, "government").id,
                now=now,
            )
        db.session.commit()
        question = survey.questions[0]
        question.survey  # noqa: B018 (loaded outside the count)
        page, n = count_queries(lambda q=question: text_answers(q, q="idea"))
        assert page.total == size
        counts.append(n)
    assert counts[0] == counts[1] == 3  # responses by type, count, page
