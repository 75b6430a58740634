"""Paper pages: print sheets (PDF), enter sheets with the keyboard."""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.attempts import attempt, rehearse, submit
from consult.challenges.services import (
    POINTS_TOTAL,
    event_challenges,
    settings_for,
)
from consult.content import event_languages
from consult.dashboard.services.pdf import PdfUnavailable, html_to_pdf, pdf_available
from consult.errors import DomainError
from consult.exports import export_filename
from consult.extensions import db
from consult.facilitators.paper.entry import (
    check_priorities_sheet,
    enter_priorities_sheet,
    enter_registration_sheet,
    sheet_to_enter,
)
from consult.facilitators.paper.forms import (
    CodeForm,
    PrintForm,
    PrioritiesSheetForm,
    RegistrationSheetForm,
    SurveySheetForm,
)
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.paper.sheets import (
    KIND_LABELS,
    PrintRequest,
    issue_sheets,
    printed_sheets,
    sheet_code,
)
from consult.facilitators.paper.survey_entry import (
    check_survey_sheet,
    enter_survey_sheet,
    survey_sheet_to_enter,
)
from consult.facilitators.routes.facilitator import _answers
from consult.facilitators.routes.paper_common import paper_route
from consult.forms import FormProblem, show_error
from consult.i18n import language_tag
from consult.registration.countries import country_choices
from consult.registration.services.seats import stakeholder_types
from consult.registration.services.validation import questions_for
from consult.surveys.forms import answer_problems
from consult.surveys.models import RATING_MAX, RATING_MIN
from consult.surveys.services import AnswersInvalid, raw_from_form
from consult.surveys.services.builder import event_surveys
from consult.timeutil import now_utc

SESSION_LIST = 30  # sheets remembered in the running list


def _print_form(event) -> PrintForm:
    return PrintForm(event_surveys(event), event_languages(event))


def _index(event, side, form, status=200):
    page = render_template(
        "facilitators/paper/index.html",
        event=event,
        side=side,
        form=form,
        sheets=printed_sheets(event, current_user),
        code_of=sheet_code,
        kind_labels=KIND_LABELS,
        pdf_problem=pdf_available(),
    )
    return page, status


@paper_route("index", "/")
def index(event, side):
    return _index(event, side, _print_form(event))


@paper_route("print", "/print", methods=("POST",))
def print_sheets(event, side):
    form = _print_form(event)
    if not form.validate_on_submit():
        return _index(event, side, form, 422)
    kind, survey_id = form.sheet.data[0], form.sheet.data[1:]
    outcome = attempt(
        form,
        lambda: issue_sheets(
            event,
            current_user,
            PrintRequest(
                kind,
                form.language.data,
                form.copies.data,
                int(survey_id) if survey_id.isdigit() else None,
            ),
            now=now_utc(),
        ),
    )
    if not outcome:
        return _index(event, side, form, 422)
    sheets = outcome.value
    for sheet in sheets:
        sheet.code = sheet_code(sheet)
    try:
        pdf = _sheets_pdf(event, sheets, form.language.data)
    except PdfUnavailable as exc:
        db.session.rollback()  # no codes for sheets that were not printed
        page = render_template(
            "dashboard/pdf_unavailable.html", event=event, problem=str(exc)
        )
        return page, 503
    db.session.commit()
    name = export_filename(
        event.slug, "sheets", kind, sheets[0].number, sheets[-1].number, ext="pdf"
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _sheets_pdf(event, sheets: list[PaperSheet], language: str) -> bytes:
    """The sheets in ``language``: interface words and the event's texts."""
    first = sheets[0]
    survey = None
    if first.kind == "S":
        survey = next(s for s in event_surveys(event) if s.id == first.survey_id)
    types = stakeholder_types(event)
    with force_locale(language):
        html = render_template(
            "facilitators/paper/sheets.html",
            event=event,
            sheets=sheets,
            kind_label=KIND_LABELS[first.kind],
            lang=language_tag(language),
            types=types,
            type_labels={t.key: t.label for t in types},
            questions=questions_for(event),
            challenges=event_challenges(event),
            method=settings_for(event).priority_method,
            points_total=POINTS_TOTAL,
            survey=survey,
            # The screen's scale (surveys.services.answers): a sheet offers the same.
            rating_points=range(RATING_MIN, RATING_MAX + 1),
        )
    return html_to_pdf(
        html,
        static_folder=current_app.static_folder,
        static_prefix=url_for("static", filename=""),
    )


# Keyboard entry ------------------------------------------------------------


def _session_key(event) -> str:
    return f"paper-entered:{event.id}"


def _entered_this_session(event) -> list[PaperSheet]:
    ids = [i for i in session.get(_session_key(event), []) if isinstance(i, int)]
    if not ids:
        return []
    rows = db.session.scalars(
        select(PaperSheet).where(
            PaperSheet.id.in_(ids), PaperSheet.event_id == event.id
        )
    )
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in reversed(ids) if i in by_id]


def _remember(event, sheet: PaperSheet) -> None:
    key = _session_key(event)
    session[key] = [*session.get(key, []), sheet.id][-SESSION_LIST:]


def _registration_form(event, **kwargs) -> RegistrationSheetForm:
    return RegistrationSheetForm(stakeholder_types(event), country_choices(), **kwargs)


def _render_entry(
    event, side, form, *, sheet=None, status=200, survey=None, raw=None, refusal=None
):
    challenges = (
        event_challenges(event) if sheet is not None and sheet.kind == "P" else []
    )
    questions = questions_for(event) if sheet is not None and sheet.kind == "R" else []
    errors = refusal.errors if isinstance(refusal, AnswersInvalid) else {}
    question_errors = _question_errors(form, refusal)
    page = render_template(
        "facilitators/paper/enter.html",
        event=event,
        side=side,
        form=form,
        sheet=sheet,
        sheet_code=sheet_code(sheet) if sheet is not None else "",
        kind_labels=KIND_LABELS,
        questions=questions,
        answers=_answers(),
        challenges=challenges,
        method=settings_for(event).priority_method,
        points_total=POINTS_TOTAL,
        entered=_entered_this_session(event),
        code_of=sheet_code,
        survey=survey,
        raw=raw or {},
        errors=errors,
        question_errors=question_errors,
        # What the summary lists beyond the form's fields: the registration
        # questions and the survey's answers, each linked to its control.
        more_problems=[
            FormProblem(f"q_{q.id}", q.label, (question_errors[f"q_{q.id}"],))
            for q in questions
            if f"q_{q.id}" in question_errors
        ]
        + (answer_problems(survey, errors) if survey is not None else []),
    )
    return page, status


def _question_errors(form, refusal) -> dict[str, str]:
    """A registration sheet's refusals about its questions (q_<id>: laid out
    by the page, not fields of the form), taken out of the form's own list."""
    if refusal is None:
        return {}
    found = {
        name: message
        for name, message in refusal.problems
        if name and name.startswith("q_")
    }
    form.form_errors[:] = [m for m in form.form_errors if m not in found.values()]
    return found


@paper_route("enter", "/enter", methods=("GET", "POST"))
def enter(event, side):
    if request.method == "GET" or request.form.get("step") == "code":
        form = CodeForm()
        if request.method == "GET" or not form.validate_on_submit():
            return _render_entry(
                event, side, form, status=200 if request.method == "GET" else 422
            )
        try:
            sheet = sheet_to_enter(event, current_user, form.code.data)
            survey = (
                survey_sheet_to_enter(event, current_user, form.code.data)[1]
                if sheet.kind == "S"
                else None
            )
        except DomainError as exc:
            show_error(form, exc)
            return _render_entry(event, side, form, status=422)
        sheet_form = {
            "R": lambda: _registration_form(event, formdata=None),
            "P": lambda: PrioritiesSheetForm(formdata=None),
            "S": lambda: SurveySheetForm(formdata=None),
        }[sheet.kind]()
        sheet_form.code.data = sheet_code(sheet)
        return _render_entry(event, side, sheet_form, sheet=sheet, survey=survey)
    return _save_sheet(event, side)


def _save_sheet(event, side):
    code = request.form.get("code", "")
    try:
        sheet = sheet_to_enter(event, current_user, code)
        if sheet.kind == "S":
            return _save_survey_sheet(event, side, code)
    except DomainError as exc:
        form = CodeForm(formdata=None)
        form.code.data = code
        show_error(form, exc)
        return _render_entry(event, side, form, status=422)
    now = now_utc()
    if sheet.kind == "R":
        form = _registration_form(event)
        call = lambda: enter_registration_sheet(  # noqa: E731
            event,
            current_user,
            code,
            form.to_data(_answers(), timezone=event.timezone, language=sheet.language),
            now=now,
        )
        # The registration's rules as the sheet is entered: tried, then undone.
        check = lambda: rehearse(call)  # noqa: E731
    else:
        form = PrioritiesSheetForm()
        values = form.values(request.form, event_challenges(event))
        call = lambda: enter_priorities_sheet(  # noqa: E731
            event, current_user, code, form.person.data, values, now=now
        )
        check = lambda: check_priorities_sheet(  # noqa: E731
            event, current_user, form.person.data or "", values
        )
    outcome = submit(form, call, check=check)
    if not outcome:
        return _render_entry(
            event, side, form, sheet=sheet, status=422, refusal=outcome.error
        )
    entered, person = outcome.value
    return _entered(
        event, side, entered, person.registration if sheet.kind == "R" else person
    )


def _entered(event, side, entered: PaperSheet, person):
    """Commit the sheet's entry, remember it in the list, the next blank sheet."""
    entered_id = entered.id
    person_name = person.full_name
    db.session.commit()
    entered = db.session.get(PaperSheet, entered_id)
    _remember(event, entered)
    flash(
        _(
            "Sheet %(code)s saved: %(name)s.",
            code=sheet_code(entered),
            name=person_name,
        ),
        "success",
    )
    return redirect(url_for(side.prefix + "enter", slug=event.slug))


def _save_survey_sheet(event, side, code: str):
    """A survey sheet: errors next to their questions, nothing saved then."""
    sheet, survey = survey_sheet_to_enter(event, current_user, code)
    form = SurveySheetForm()
    raw = raw_from_form(request.form)
    outcome = submit(
        form,
        lambda: enter_survey_sheet(
            event, current_user, code, form.person.data, raw, now=now_utc()
        ),
        check=lambda: check_survey_sheet(
            event, current_user, code, form.person.data or "", raw
        ),
    )
    if not outcome:
        # The refusal rolled back: load the sheet and survey again to show them.
        sheet, survey = survey_sheet_to_enter(event, current_user, code)
        return _render_entry(
            event,
            side,
            form,
            sheet=sheet,
            status=422,
            survey=survey,
            raw=raw,
            refusal=outcome.error,
        )
    return _entered(event, side, *outcome.value)
