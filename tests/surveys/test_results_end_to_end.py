"""Results of responses submitted through the answering services (shapes agree)."""

from __future__ import annotations

from consult.extensions import db
from consult.surveys.export import responses_sheet
from consult.surveys.results import load_survey, survey_results
from consult.surveys.services import submit_response
from tests.surveys.conftest import full_answers


def test_submitted_answers_reach_results_and_export(
    app, survey, reg_event, make_registration, now
):
    people = [make_registration(reg_event, type_key="research") for _i in range(2)]
    for person in people:
        submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()
    results = survey_results(load_survey(survey.id, reg_event.id))
    assert results.responses == 2
    assert (results.overall_rate.audience, results.overall_rate.responded) == (2, 2)
    by_kind = {q.kind: q for q in results.questions}
    assert all(q.n == 2 for q in results.questions)
    single = by_kind["single_choice"].overall
    assert [row.count for row in single.rows[:4]] == [0, 2, 0, 0]
    assert by_kind["likert"].overall.mean == 4
    assert by_kind["rating"].overall.nps.promoters == 2
    assert by_kind["number"].overall.median == 42
    ranking = by_kind["ranking"].overall.items
    # full_answers ranks the options in reverse: the last one comes first.
    assert ranking[0].label == by_kind["ranking"].question.options[-1].label
    matrix = by_kind["likert_matrix"].overall.statements
    assert [s.stats.mean for s in matrix] == [3, 4, 5]
    sheet = responses_sheet(survey)
    assert len(sheet.rows) == 2
    assert sheet.rows[0][2] == people[0].full_name
