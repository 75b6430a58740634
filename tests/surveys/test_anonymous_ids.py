"""Anonymous responses cannot be ordered against named ones (issue 27, item 2).

Named responses and answers take positive ids from the sequences; anonymous
ones (personal link or public link) get random negative ids, so no id lies
between two named ones or says which anonymous response came first. The
migration f0be162550aa renumbers the anonymous rows stored before.
"""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import select, text

from consult.extensions import db
from consult.surveys.models import SurveyAnswer, SurveyResponse
from consult.surveys.services import submit_response
from consult.surveys.services.answering import submit_public
from consult.surveys.services.answers import raw_from_answers
from tests.clock import FIXED_NOW
from tests.conftest import make_app
from tests.storage.test_upload_migration import _before, empty_database  # noqa: F401
from tests.surveys.conftest import full_answers

REVISION = "f0be162550aa"


def test_anonymous_response_ids_are_not_in_the_named_sequence(
    make_survey, reg_event, make_registration, now
):
    named = make_survey(reg_event)
    anonymous = make_survey(reg_event, anonymous=True)
    people = [make_registration(reg_event) for _ in range(6)]
    # Named and anonymous answers alternate in time.
    for n, person in enumerate(people):
        moment = now + timedelta(minutes=n)
        submit_response(named, person, full_answers(named), now=moment)
        submit_response(anonymous, person, full_answers(anonymous), now=moment)
        db.session.commit()
    named_ids = sorted(
        db.session.scalars(
            select(SurveyResponse.id).where(SurveyResponse.survey_id == named.id)
        )
    )
    anonymous_ids = list(
        db.session.scalars(
            select(SurveyResponse.id).where(SurveyResponse.survey_id == anonymous.id)
        )
    )
    assert len(anonymous_ids) == 6 and len(set(anonymous_ids)) == 6
    # Named ids run on from the sequence, one after the other: no anonymous
    # response took a number between them.
    assert named_ids == list(range(named_ids[0], named_ids[0] + 6))
    assert all(i < 0 for i in anonymous_ids)
    assert all(i > 0 for i in named_ids)
    # Nor are the anonymous ones consecutive among themselves.
    ordered = sorted(anonymous_ids)
    assert any(b - a > 1 for a, b in zip(ordered, ordered[1:], strict=False))
    answer_ids = list(
        db.session.scalars(
            select(SurveyAnswer.id)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == anonymous.id)
        )
    )
    assert answer_ids and all(i < 0 for i in answer_ids)
    named_answers = list(
        db.session.scalars(
            select(SurveyAnswer.id)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == named.id)
        )
    )
    assert all(i > 0 for i in named_answers)


def test_public_link_responses_of_an_anonymous_survey_get_random_ids(
    make_survey, reg_event, now
):
    survey = make_survey(reg_event, anonymous=True, audience="public")
    named = make_survey(reg_event, audience="public")
    raw = full_answers(survey)
    started = now - timedelta(minutes=5)

    def named_answer():
        submit_public(named, full_answers(named), now=now, started_at=started,
                      min_seconds=5)  # fmt: skip

    named_answer()
    for _i in range(3):
        submit_public(survey, raw, now=now, started_at=started, min_seconds=5)
        named_answer()
    db.session.commit()
    rows = db.session.execute(select(SurveyResponse.survey_id, SurveyResponse.id)).all()
    anonymous_ids = [i for s, i in rows if s == survey.id]
    named_ids = sorted(i for s, i in rows if s == named.id)
    assert len(anonymous_ids) == 3 and all(i < 0 for i in anonymous_ids)
    assert named_ids == list(range(named_ids[0], named_ids[0] + 4))
    assert named_ids[0] > 0
    # The anonymous answers read back the same as they were given.
    response = db.session.scalar(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id).limit(1)
    )
    stored = raw_from_answers(survey.questions, response.answers)
    assert {k: sorted(v) for k, v in stored.items()} == {
        k: sorted(v) for k, v in raw.items()
    }


def _rows(conn, sql, **params):
    return conn.execute(text(sql), params).all()


def test_the_migration_renumbers_stored_anonymous_responses(
    empty_database,  # noqa: F811
    tmp_path,
):
    app = make_app(empty_database, tmp_path / "instance")
    now = FIXED_NOW.strftime("%Y-%m-%d %H:%M:%S")
    end = (FIXED_NOW + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    with app.app_context():
        upgrade(revision=_before(REVISION))
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, active, created_at) "
                    "VALUES (1, 'o@example.org', 'O', 'organiser', true, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO events (id, slug, title, summary, description_md, "
                    "host_city, host_country, topics, timezone, start_at, end_at, "
                    "join_url, status, sequence, owner_id, created_at, updated_at, "
                    "cancellation_reason) VALUES (1, 'e1', 'E', '', '', '', '', "
                    "'[]', 'UTC', :now, :end, '', 'draft', 0, 1, :now, :now, '')"
                ),
                {"now": now, "end": end},
            )
            for sid, anonymous in ((1, True), (2, False)):
                conn.execute(
                    text(
                        "INSERT INTO surveys (id, event_id, title, kind, audience, "
                        "anonymous, allow_edit, introduction, created_at, updated_at) "
                        "VALUES (:id, 1, 'S', 'post_event', 'confirmed', :anon, "
                        "false, '', :now, :now)"
                    ),
                    {"id": sid, "anon": anonymous, "now": now},
                )
            conn.execute(
                text(
                    "INSERT INTO survey_questions (id, survey_id, position, kind, "
                    "text, help_text, required, allow_other, scale_labels) VALUES "
                    "(1, 1, 0, 'number', 'Q', '', false, false, '[]'), "
                    "(2, 2, 0, 'number', 'Q', '', false, false, '[]')"
                )
            )
            # Responses 1..4 alternate between the anonymous survey and the named one.
            for rid in (1, 2, 3, 4):
                sid = 1 if rid % 2 else 2
                conn.execute(
                    text(
                        "INSERT INTO survey_responses (id, survey_id, status, "
                        "submitted_at) VALUES (:id, :sid, 'submitted', :now)"
                    ),
                    {"id": rid, "sid": sid, "now": now},
                )
                conn.execute(
                    text(
                        "INSERT INTO survey_answers (id, response_id, question_id, "
                        "number_value) VALUES (:id, :id, :q, :value)"
                    ),
                    {"id": rid, "q": sid, "value": 10 * rid},
                )
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            responses = _rows(
                conn, "SELECT id, survey_id FROM survey_responses ORDER BY survey_id"
            )
            answers = _rows(
                conn,
                "SELECT a.id, r.survey_id, a.number_value FROM survey_answers a "
                "JOIN survey_responses r ON r.id = a.response_id",
            )
        db.engine.dispose()
    assert sorted(i for i, s in responses if s == 2) == [2, 4]
    anonymous = [i for i, s in responses if s == 1]
    assert len(anonymous) == 2 and all(i < 0 for i in anonymous)
    assert sorted(v for _i, s, v in answers if s == 1) == [10, 30]
    assert sorted(v for _i, s, v in answers if s == 2) == [20, 40]
    assert all(i < 0 for i, s, _v in answers if s == 1)
    assert sorted(i for i, s, _v in answers if s == 2) == [2, 4]
