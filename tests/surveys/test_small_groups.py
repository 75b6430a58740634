"""The small-group threshold everywhere in anonymous survey results (issue 27).

A matrix statement, a number question and a free-text label each follow the
results page: what it hides (fewer than ``min_group_size()`` answers, or a
group it does not show for that question) the export, the text list and the
charts hide too. Named surveys get the same rule when asked (the report).
"""

from __future__ import annotations

import csv
import io
import random
import re

from markupsafe import escape
from sqlalchemy import select

from consult.export_log import ExportLog
from consult.extensions import db
from consult.surveys.export import responses_sheet
from consult.surveys.results import question_charts, survey_results
from consult.surveys.results.texts import text_answers
from tests.surveys.results_fixtures import *  # noqa: F403
from tests.surveys.results_fixtures import STATEMENTS, add_response, build_survey

GOV = "Government & public agencies"
PRIVATE = "Private sector"
RESEARCH = "Research & academia"


def _column(header, start):
    return next(i for i, h in enumerate(header) if h.startswith(start))


def _kind(results, kind):
    return next(q for q in results.questions if q.kind == kind)


def _add(survey, stype, event, key, specs, now):
    for spec in specs:
        add_response(survey, spec, type_id=stype(event, key).id, now=now)


def test_a_matrix_statement_answered_by_four_shows_no_distribution(
    app, reg_event, stype, now
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    # Six answer the first two statements; only four the third.
    specs = [{"likert_matrix": [1 + i % 5, 2, 4 if i < 4 else None]} for i in range(6)]
    _add(survey, stype, reg_event, "government", specs, now)
    db.session.commit()
    matrix = _kind(survey_results(survey), "likert_matrix")
    first, _second, third = matrix.overall.statements
    assert not first.hidden and first.stats.n == 6 and first.stats.mean is not None
    assert third.hidden and third.stats.n == 4
    assert third.stats.distribution == [] and third.stats.mean is None
    gov = next(g for g in matrix.groups if g.group.label == GOV)
    assert not gov.hidden and gov.stats.statements[2].hidden
    texts = " ".join(
        " ".join([c.title, *c.head, *(" ".join(r) for r in c.rows)])
        for c in question_charts(matrix)
    )
    assert STATEMENTS[0] in texts and STATEMENTS[2] not in texts
    sheet = responses_sheet(survey, rng=random.Random(1))
    header = list(sheet.header)
    assert all(row[_column(header, f"9. Question likert_matrix — {STATEMENTS[2]}")]
               is None for row in sheet.rows)  # fmt: skip
    assert sorted(
        row[_column(header, f"9. Question likert_matrix — {STATEMENTS[0]}")]
        for row in sheet.rows
    ) == sorted(1 + i % 5 for i in range(6))


def test_a_group_small_on_one_statement_is_hidden_for_the_matrix(
    app, reg_event, stype, now
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    _add(
        survey, stype, reg_event, "government", [{"likert_matrix": [3, 3, 3]}] * 6, now
    )
    private = [{"likert_matrix": [2, 2 if i < 2 else None, 2]} for i in range(5)]
    _add(survey, stype, reg_event, "private", private, now)
    db.session.commit()
    matrix = _kind(survey_results(survey), "likert_matrix")
    # Five private answered the question, but only two the second statement:
    # private is hidden, and government with it (8 - 6 would give it back).
    assert {g.group.label for g in matrix.groups if g.n} == {GOV, PRIVATE}
    assert matrix.visible_groups == []
    assert not any(s.hidden for s in matrix.overall.statements)  # 8 answered each


def test_export_has_no_values_of_a_number_question_answered_by_three(
    app, reg_event, stype, now, monkeypatch
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    specs = [{"likert": 4, "number": 40 + i if i < 3 else None} for i in range(6)]
    _add(survey, stype, reg_event, "government", specs, now)
    db.session.commit()
    sheet = responses_sheet(survey)
    header = list(sheet.header)
    number = _column(header, "5. Question number")
    likert = _column(header, "3. Question likert")
    assert [row[number] for row in sheet.rows] == [None] * 6
    assert [row[likert] for row in sheet.rows] == [4] * 6
    assert _kind(survey_results(survey), "number").hidden
    # A threshold of 3 shows (and exports) them.
    monkeypatch.setitem(app.config, "SMALL_GROUP_MIN", 3)
    sheet = responses_sheet(survey)
    assert sorted(r[number] for r in sheet.rows if r[number] is not None) == [
        40,
        41,
        42,
    ]
    assert not _kind(survey_results(survey), "number").hidden


def test_csv_download_leaves_the_small_question_empty(
    client, login, organiser, reg_event, stype, now
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    specs = [{"likert": 4, "number": 7 if i < 3 else None} for i in range(6)]
    _add(survey, stype, reg_event, "government", specs, now)
    db.session.commit()
    login(organiser)
    response = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results.csv"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    number = _column(rows[0], "5. Question number")
    assert len(rows) == 7 and all(row[number] == "" for row in rows[1:])
    assert all(row[_column(rows[0], "3. Question likert")] == "4" for row in rows[1:])
    log = db.session.scalars(select(ExportLog)).all()
    assert [(e.kind, e.row_count) for e in log] == [("surveys", 6)]


def _texts_survey(reg_event, stype, now):
    """Government 8, private 5, research 5 responses; the short text answered
    by all of government and private but only 2 of research."""
    survey = build_survey(reg_event, anonymous=True, now=now)
    for key, n, wrote in (("government", 8, 8), ("private", 5, 5), ("research", 5, 2)):
        specs = [
            {"likert": 3, "short_text": f"{key} says {i}" if i < wrote else None}
            for i in range(n)
        ]
        _add(survey, stype, reg_event, key, specs, now)
    db.session.commit()
    return survey


def test_a_text_label_of_a_group_the_question_hides_appears_nowhere(
    app, reg_event, stype, now
):
    survey = _texts_survey(reg_event, stype, now)
    results = survey_results(survey)
    # Survey level: every group has five or more.
    assert results.hidden_group_keys == set()
    short = _kind(results, "short_text")
    assert set(short.hidden_labels) == {RESEARCH, PRIVATE}  # 2, then 2 + 5
    page = text_answers(next(q for q in survey.questions if q.kind == "short_text"),
                        per_page=50)  # fmt: skip
    labels = {item.text.split()[0]: item.group_label for item in page.items}
    assert labels == {
        "government": GOV,
        "private": "Other groups",
        "research": "Other groups",
    }
    # Filtering on a group the question hides singles nobody out.
    question = next(q for q in survey.questions if q.kind == "short_text")
    only = text_answers(question, group=stype(reg_event, "research").id)
    assert only.group is None and only.total == 15
    # The export names a type only where every question shows it.
    sheet = responses_sheet(survey)
    named = {row[0] for row in sheet.rows}
    assert named == {GOV, "Other groups"}


def test_text_page_offers_no_filter_on_a_group_the_question_hides(
    client, login, organiser, reg_event, stype, now
):
    survey = _texts_survey(reg_event, stype, now)
    question = next(q for q in survey.questions if q.kind == "short_text")
    login(organiser)
    html = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}"
        f"/results/questions/{question.id}/answers"
    ).get_data(as_text=True)
    assert str(escape(GOV)) in html
    assert str(escape(RESEARCH)) not in html and PRIVATE not in html
    assert "research says 0" in html


def test_named_surveys_hide_small_groups_only_when_protected(
    app, reg_event, stype, now
):
    survey = build_survey(reg_event, now=now)
    _add(survey, stype, reg_event, "government", [{"likert": 4}] * 6, now)
    _add(survey, stype, reg_event, "informal", [{"likert": 1}], now)
    db.session.commit()
    open_view = _kind(survey_results(survey), "likert")
    assert not any(g.hidden for g in open_view.groups)
    protected = survey_results(survey, protect=True)
    likert = _kind(protected, "likert")
    # The one informal answer is hidden, and government with it (7 - 6 = 1).
    assert likert.visible_groups == []
    assert likert.overall.n == 7
    # A question answered by fewer than five is not shown at all.
    assert _kind(protected, "rating").n == 0
    _add(survey, stype, reg_event, "government", [{"rating": 9}] * 2, now)
    db.session.commit()
    assert _kind(survey_results(survey, protect=True), "rating").hidden


def test_results_page_says_n_beside_each_group(
    client, login, organiser, reg_event, stype, now
):
    survey = build_survey(reg_event, anonymous=True, now=now)
    _add(
        survey, stype, reg_event, "government", [{"likert_matrix": [3, 3, 3]}] * 6, now
    )
    _add(survey, stype, reg_event, "private", [{"likert_matrix": [2, 2, 2]}] * 5, now)
    db.session.commit()
    login(organiser)
    html = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results"
    ).get_data(as_text=True)
    section = html[html.index("9. Question likert_matrix") :]
    assert f"{escape(GOV)} (n = 6)" in section
    assert f"{PRIVATE} (n = 5)" in section


def test_a_named_survey_results_page_marks_a_small_group(
    client, login, organiser, reg_event, stype, now
):
    survey = build_survey(reg_event, now=now)
    _add(survey, stype, reg_event, "government", [{"likert": 4}] * 6, now)
    _add(survey, stype, reg_event, "informal", [{"likert": 1}], now)
    db.session.commit()
    login(organiser)
    html = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results"
    ).get_data(as_text=True)
    section = html[html.index("3. Question likert") :]
    section = section[: section.index("</section>")]
    assert "(n = 1, small group)" in section
    assert f"{escape(GOV)} (n = 6)" in section


def test_a_small_group_is_marked_in_the_results_tables_as_in_the_charts(
    client, login, organiser, reg_event, stype, now
):
    survey = build_survey(reg_event, now=now)
    answers = {"single_choice": 0, "likert_matrix": [4, 4, 4], "ranking": [1, 2, 3]}
    _add(survey, stype, reg_event, "government", [answers] * 6, now)
    _add(survey, stype, reg_event, "informal", [answers], now)
    db.session.commit()
    login(organiser)
    html = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/results"
    ).get_data(as_text=True)
    tables = re.findall(
        r'<table class="compact striped results-table">.*?</table>', html, re.S
    )
    heads = [t for t in tables if "(n = 1" in t]
    assert len(heads) == 3  # single choice, matrix, ranking
    for table in heads:
        assert "(n = 1, small group)" in table
        assert f"{escape(GOV)} (n = 6)" in table
        assert "(n = 6, small group)" not in table
