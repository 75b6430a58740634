"""The demo surveys: pre-event answers that differ by type, post-event survey scheduled."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select

from consult.demo import seed_demo
from consult.extensions import db
from consult.surveys.models import Survey, SurveyAnswer, SurveyResponse
from consult.surveys.services import non_responders, parse_answers, raw_from_answers


def test_demo_surveys_are_consistent_and_answered_by_type(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    surveys = {s.kind: s for s in db.session.scalars(select(Survey))}
    pre, post = surveys["pre_event"], surveys["post_event"]
    assert pre.is_open(now) and pre.closes_at == event.start_at
    assert post.state(now) == "scheduled" and post.opens_at == event.end_at
    assert post.anonymous and post.audience == "attendees"
    assert [q.kind for q in post.questions] == [
        "rating", "single_choice", "likert_matrix", "long_text"]  # fmt: skip
    assert len(post.questions[2].statements) == len(event.sessions)
    # Feedback on a webinar that has not happened yet: none.
    assert not db.session.scalar(
        select(SurveyResponse.id).where(SurveyResponse.survey_id == post.id)
    )
    submitted = list(
        db.session.scalars(
            select(SurveyResponse).where(
                SurveyResponse.survey_id == pre.id, SurveyResponse.status == "submitted"
            )
        )
    )
    assert 25 <= len(submitted) <= 50
    assert non_responders(pre)  # some still to answer
    for response in submitted:
        assert pre.opens_at <= response.submitted_at <= now
        assert response.submitted_at >= response.registration.created_at
        # Every stored response is one the form would accept.
        raw = raw_from_answers(pre.questions, response.answers)
        parse_answers(pre, raw, complete=True)
    familiarity = pre.questions[1]
    by_type = defaultdict(list)
    for answer in db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.question_id == familiarity.id)
    ):
        by_type[answer.response.stakeholder_type.key].append(answer.number_value)
    mean = {k: sum(v) / len(v) for k, v in by_type.items()}
    assert set(mean) >= {"government", "private", "research", "civil_society"}
    assert mean["research"] > mean.get("informal", 0)
    challenge = pre.questions[2]
    counts = Counter(
        a.option_id
        for a in db.session.scalars(
            select(SurveyAnswer).where(SurveyAnswer.question_id == challenge.id)
        )
    )
    assert len(counts) >= 4  # the answers spread over the challenges
