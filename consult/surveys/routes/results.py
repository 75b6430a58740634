"""Survey pages: results with charts by stakeholder type, text answers, exports.

The exports are the same responses as the dashboard's survey export, and are
logged in the event's export log as the same kind ("surveys").
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from consult import exports
from consult.downloads import logged_download, record_download
from consult.errors import PermissionDenied
from consult.events.access import managed_event_or_404
from consult.numbers import query_int, query_page
from consult.surveys import bp
from consult.surveys.export import questions_sheet, responses_sheet
from consult.surveys.results import (
    TEXT_KINDS,
    load_survey,
    min_group_size,
    question_charts,
    survey_results,
    text_answers,
)
from consult.surveys.results.aggregate import (
    responses_by_group,
    survey_groups,
    survey_hidden_keys,
)
from consult.text import search_text

BASE = "/manage/events/<slug>/surveys/<int:survey_id>"

KIND_LABELS = {
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "likert": _l("Likert scale (1–5)"),
    "rating": _l("Rating (0–10)"),
    "number": _l("Number"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "ranking": _l("Ranking"),
    "likert_matrix": _l("Likert matrix"),
}


def _load(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = load_survey(survey_id, event.id)
    if survey is None:
        abort(404)
    return event, survey


@bp.get(BASE + "/results", endpoint="results")
@login_required
def results(slug: str, survey_id: int):
    event, survey = _load(slug, survey_id)
    summary = survey_results(survey)
    return render_template(
        "surveys/results.html",
        event=event,
        survey=survey,
        results=summary,
        charts={q.question.id: question_charts(q) for q in summary.questions},
        kind_labels=KIND_LABELS,
        text_kinds=TEXT_KINDS,
        min_group=min_group_size(),
        current="surveys.results",
        has_results_page=True,
    )


@bp.get(BASE + "/results/questions/<int:question_id>/answers", endpoint="results_text")
@login_required
def results_text(slug: str, survey_id: int, question_id: int):
    event, survey = _load(slug, survey_id)
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None or question.kind not in TEXT_KINDS:
        abort(404)
    page = text_answers(
        question,
        q=search_text(request.args.get("q")),
        group=query_int("type"),
        page=query_page(),
    )
    return render_template(
        "surveys/results_text.html",
        event=event,
        survey=survey,
        question=question,
        page=page,
        type_choices=_type_choices(survey, page.hidden_keys),
        min_group=min_group_size(),
        current="surveys.results",
        has_results_page=True,
    )


@bp.get(BASE + "/results.csv", endpoint="results_csv")
@logged_download
@login_required
def results_csv(slug: str, survey_id: int):
    event, survey = _load(slug, survey_id)
    sheet = _sheet_or_refusal(survey)
    if sheet is None:
        return redirect(url_for("surveys.results", slug=slug, survey_id=survey.id))
    _log(event, "csv", sheet)
    name = exports.export_filename(event.slug, "survey", survey.id, ext="csv")
    return exports.csv_response(name, sheet.header, sheet.rows)


@bp.get(BASE + "/results.xlsx", endpoint="results_xlsx")
@logged_download
@login_required
def results_xlsx(slug: str, survey_id: int):
    event, survey = _load(slug, survey_id)
    sheet = _sheet_or_refusal(survey)
    if sheet is None:
        return redirect(url_for("surveys.results", slug=slug, survey_id=survey.id))
    _log(event, "xlsx", sheet)
    name = exports.export_filename(event.slug, "survey", survey.id, ext="xlsx")
    return exports.xlsx_response(name, [sheet, questions_sheet(survey)])


def _log(event, fmt: str, sheet) -> None:
    # Rows are the responses; the workbook's sheet of questions is not data
    # about anyone.
    record_download(event, kind="surveys", fmt=fmt, rows=len(sheet.rows))


def _sheet_or_refusal(survey):
    try:
        return responses_sheet(survey)
    except PermissionDenied as exc:
        flash(exc.message, "warning")
        return None


def _type_choices(survey, question_hidden=frozenset()):
    """Stakeholder types a text list may be filtered on: answered and not
    hidden, for the survey or (``question_hidden``) for the question."""
    by_group = responses_by_group(survey)
    hidden = survey_hidden_keys(survey, by_group) | set(question_hidden)
    return [
        group
        for group in survey_groups(survey, set(by_group))
        if group.key is not None and by_group.get(group.key) and group.key not in hidden
    ]
