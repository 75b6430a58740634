"""Fixtures for the results and export tests: surveys and responses inserted
directly through the models (not the answering services), plus a reference
computation of the expected aggregates in plain Python.

Import the fixtures in a test module:
``from tests.surveys.results_fixtures import *  # noqa: F403``.

An answer spec is a dict {question kind: value}:
- single_choice: option index, or ("other", text);
- multiple_choice: list of option indexes;
- likert / rating / number: a number;
- short_text / long_text: a string;
- ranking: option indexes from rank 1 down;
- likert_matrix: one value (1-5) or None per statement.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event

from consult.extensions import db
from consult.surveys.models import (
    QUESTION_KINDS,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)

OPTIONS = ["Food waste", "Plastic packaging", "Construction", "E-waste"]
STATEMENTS = ["Opening was useful", "Breakouts were useful", "Panel was useful"]
TYPE_KEYS = ["government", "private", "research", "civil_society", "informal"]


def build_survey(
    event, *, anonymous=False, audience="confirmed", now=None, kinds=QUESTION_KINDS
):
    """A committed survey with one question per kind (options and statements)."""
    survey = Survey(
        event_id=event.id,
        title="After the webinar",
        kind="post_event",
        audience=audience,
        anonymous=anonymous,
        public_token="tok-" + str(random.random()) if audience == "public" else None,
        opens_at=now - timedelta(days=2) if now else None,
        closes_at=now + timedelta(days=5) if now else None,
    )
    db.session.add(survey)
    db.session.flush()
    for position, kind in enumerate(kinds):
        question = SurveyQuestion(
            survey_id=survey.id,
            position=position,
            kind=kind,
            text=f"Question {kind}",
            allow_other=kind == "single_choice",
        )
        db.session.add(question)
        db.session.flush()
        if kind in ("single_choice", "multiple_choice", "ranking"):
            for i, label in enumerate(OPTIONS):
                db.session.add(
                    SurveyOption(question_id=question.id, position=i, label=label)
                )
        if kind == "likert_matrix":
            for i, label in enumerate(STATEMENTS):
                db.session.add(
                    SurveyOption(
                        question_id=question.id,
                        position=i,
                        label=label,
                        role="statement",
                    )
                )
    db.session.commit()
    db.session.expire(survey)
    return survey


def by_kind(survey) -> dict[str, SurveyQuestion]:
    return {q.kind: q for q in survey.questions}


def add_response(
    survey, spec, *, type_id=None, registration=None, now, status="submitted"
):
    """Insert one response with the answers of ``spec`` (see the module docstring)."""
    response = SurveyResponse(
        survey_id=survey.id,
        registration_id=None if survey.anonymous else getattr(registration, "id", None),
        stakeholder_type_id=type_id,
        status=status,
        submitted_at=now if status == "submitted" else None,
    )
    db.session.add(response)
    db.session.flush()
    questions = by_kind(survey)
    for kind, value in spec.items():
        if value is None:
            continue
        question = questions[kind]
        for option_id, number, text in _rows(question, value):
            db.session.add(
                SurveyAnswer(
                    response_id=response.id,
                    question_id=question.id,
                    option_id=option_id,
                    number_value=number,
                    text_value=text,
                )
            )
    if registration is not None and status == "submitted":
        db.session.add(
            SurveyParticipation(
                survey_id=survey.id, registration_id=registration.id, responded_at=now
            )
        )
    db.session.flush()
    return response


def _rows(question, value):
    options, statements = question.options, question.statements
    kind = question.kind
    if kind == "single_choice":
        if isinstance(value, tuple):
            return [(None, None, value[1])]
        return [(options[value].id, None, None)]
    if kind == "multiple_choice":
        return [(options[i].id, None, None) for i in value]
    if kind in ("likert", "rating", "number"):
        return [(None, float(value), None)]
    if kind in ("short_text", "long_text"):
        return [(None, None, value)]
    if kind == "ranking":
        return [(options[i].id, float(rank), None) for rank, i in enumerate(value, 1)]
    if kind == "likert_matrix":
        return [
            (statements[i].id, float(v), None)
            for i, v in enumerate(value)
            if v is not None
        ]
    raise ValueError(kind)


def random_spec(rng: random.Random) -> dict:
    """A random, valid answer to every kind; optional questions sometimes skipped."""

    def maybe(value):
        return None if rng.random() < 0.15 else value

    return {
        "single_choice": maybe(
            ("other", rng.choice(["Repair cafés", "Reuse hubs"]))
            if rng.random() < 0.2
            else rng.randrange(4)
        ),
        "multiple_choice": maybe(sorted(rng.sample(range(4), rng.randint(1, 3)))),
        "likert": maybe(rng.randint(1, 5)),
        "rating": maybe(rng.randint(0, 10)),
        "number": maybe(rng.choice([0, 1.5, 3, 7, 12, 40, -2])),
        "short_text": maybe(rng.choice(["Reuse", "Deposit schemes", "=cmd()"])),
        "long_text": maybe("Longer thoughts " + str(rng.randint(1, 50))),
        "ranking": maybe(rng.sample(range(4), 4)),
        "likert_matrix": maybe(
            [rng.choice([None, 1, 2, 3, 4, 5]) for _s in STATEMENTS]
        ),
    }


# --- reference aggregates, computed from the specs in plain Python ----------


def ref_choice(specs, kind):
    answered = [s[kind] for s in specs if s.get(kind) is not None]
    counts = Counter()
    for value in answered:
        if kind == "multiple_choice":
            counts.update(value)
        elif isinstance(value, tuple):
            counts["other"] += 1
        else:
            counts[value] += 1
    return len(answered), counts


def ref_scale(specs, kind):
    values = [float(s[kind]) for s in specs if s.get(kind) is not None]
    if not values:
        return 0, None, None, Counter()
    return (
        len(values),
        statistics.fmean(values),
        statistics.median(values),
        Counter(values),
    )


def ref_nps(specs):
    values = [s["rating"] for s in specs if s.get("rating") is not None]
    promoters = sum(v >= 9 for v in values)
    passives = sum(7 <= v <= 8 for v in values)
    detractors = sum(v <= 6 for v in values)
    score = 100 * (promoters - detractors) / len(values) if values else None
    return promoters, passives, detractors, score


def ref_ranking(specs):
    ranks = {i: [] for i in range(4)}
    for s in specs:
        if s.get("ranking") is not None:
            for rank, i in enumerate(s["ranking"], 1):
                ranks[i].append(rank)
    return {
        i: (statistics.fmean(r) if r else None, Counter(r)) for i, r in ranks.items()
    }


def ref_matrix(specs):
    out = {}
    for i in range(len(STATEMENTS)):
        values = [
            float(s["likert_matrix"][i])
            for s in specs
            if s.get("likert_matrix") is not None and s["likert_matrix"][i] is not None
        ]
        out[i] = (
            len(values),
            statistics.fmean(values) if values else None,
            statistics.median(values) if values else None,
        )
    return out


@pytest.fixture
def count_queries(app):
    """count_queries(fn) -> (result, number of SQL statements fn ran)."""

    def _count(fn):
        statements = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            result = fn()
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        return result, len(statements)

    return _count
