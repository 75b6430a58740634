"""Survey pages: the organiser's builder, preview, non-responders and reminders."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt_action, rehearse, submit
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import render_form
from consult.numbers import query_page
from consult.registration.services import stakeholder_types
from consult.surveys import bp
from consult.surveys.forms import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    QUESTION_KIND_LABELS,
    ActionForm,
    AnswerForm,
    QuestionForm,
    SurveyForm,
)
from consult.surveys.services import (
    AnswersInvalid,
    add_question,
    audience_size,
    check_survey,
    create_survey,
    draft_holders,
    event_surveys,
    has_responses,
    move_question,
    non_responder_counts,
    non_responders,
    parse_answers,
    public_survey_url,
    question_of,
    raw_from_form,
    remind_non_responders,
    send_invitations,
    submitted_count,
    survey_of,
    update_question,
    update_survey,
)
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/surveys"
# The service's field of the five scale labels: the form's first of them.
SCALE_FIELD = {"scale_labels": "scale_labels-0"}
PAGE_SIZE = 50


def _survey_form(event, survey=None, **kwargs):
    types = stakeholder_types(event)
    form = SurveyForm.for_survey(survey, **kwargs) if survey else SurveyForm(**kwargs)
    form.set_types(types)
    return form


def _common(event):
    return {
        "event": event,
        "kind_labels": KIND_LABELS,
        "audience_labels": AUDIENCE_LABELS,
        "question_kind_labels": QUESTION_KIND_LABELS,
        "action_form": ActionForm(),
        "has_results_page": "surveys.results" in current_app.view_functions,
        "now": now_utc(),
    }


def _to_survey(survey):
    return redirect(
        url_for("surveys.manage_edit", slug=survey.event.slug, survey_id=survey.id)
    )


@bp.get(BASE, endpoint="manage_list")
@login_required
def manage_list(slug: str):
    event = managed_event_or_404(slug)
    surveys = event_surveys(event)
    counts = {s.id: submitted_count(s) for s in surveys}
    return render_template(
        "surveys/manage/list.html", surveys=surveys, counts=counts, **_common(event)
    )


@bp.route(BASE + "/new", methods=["GET", "POST"], endpoint="manage_new")
@login_required
def manage_new(slug: str):
    event = managed_event_or_404(slug)
    form = _survey_form(event)
    if outcome := submit(
        form,
        lambda: create_survey(event, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_survey(event, None, form.to_data()),
    ):
        db.session.commit()
        flash(_("Survey created. Now add its questions."), "success")
        return _to_survey(outcome.value)
    return render_form("surveys/manage/new.html", form, **_common(event))


@bp.route(BASE + "/<int:survey_id>", methods=["GET", "POST"], endpoint="manage_edit")
@login_required
def manage_edit(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    get = request.method == "GET"
    form = _survey_form(event, survey if get else None)
    if submit(
        form,
        lambda: update_survey(survey, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_survey(event, survey, form.to_data()),
    ):
        db.session.commit()
        flash(_("Survey settings saved."), "success")
        return _to_survey(survey)
    db.session.rollback()
    return render_form(
        "surveys/manage/edit.html",
        form,
        survey=survey,
        locked=has_responses(survey),
        responses=submitted_count(survey),
        public_url=public_survey_url(survey),
        **_common(event),
    )


def _require_button() -> None:
    """A POST button's CSRF token, or 400."""
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.route(
    BASE + "/<int:survey_id>/questions/new",
    methods=["GET", "POST"],
    endpoint="question_new",
)
@login_required
def question_new(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    form = QuestionForm()
    if request.method == "GET" and request.args.get("kind") in QUESTION_KIND_LABELS:
        form.kind.data = request.args["kind"]
    if submit(
        form,
        lambda: add_question(survey, current_user, form.to_data(), now=now_utc()),
        # The question's rules apply as it is written: tried, then undone.
        names=SCALE_FIELD,
        check=lambda: rehearse(
            lambda: add_question(survey, current_user, form.to_data(), now=now_utc())
        ),
    ):
        db.session.commit()
        flash(_("Question added."), "success")
        return _to_survey(survey)
    return render_form(
        "surveys/manage/question.html",
        form,
        survey=survey,
        question=None,
        locked=False,
        **_common(event),
    )


@bp.route(
    BASE + "/<int:survey_id>/questions/<int:question_id>",
    methods=["GET", "POST"],
    endpoint="question_edit",
)
@login_required
def question_edit(slug: str, survey_id: int, question_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    question = question_of(survey, question_id)
    if request.method == "GET":
        form = QuestionForm.for_question(question)
    else:
        form = QuestionForm()
    if submit(
        form,
        lambda: update_question(question, current_user, form.to_data(), now=now_utc()),
        names=SCALE_FIELD,
        check=lambda: rehearse(
            lambda: update_question(
                question, current_user, form.to_data(), now=now_utc()
            )
        ),
    ):
        db.session.commit()
        flash(_("Question saved."), "success")
        return _to_survey(survey)
    db.session.rollback()
    return render_form(
        "surveys/manage/question.html",
        form,
        survey=survey,
        question=question,
        locked=has_responses(survey),
        **_common(event),
    )


@bp.post(
    BASE + "/<int:survey_id>/questions/<int:question_id>/move/<direction>",
    endpoint="question_move",
)
@login_required
def question_move(slug: str, survey_id: int, question_id: int, direction: str):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    question = question_of(survey, question_id)
    _require_button()
    move_question(question, current_user, direction, now=now_utc())
    db.session.commit()
    return redirect(
        url_for(
            "surveys.manage_edit", slug=slug, survey_id=survey.id, _anchor="questions"
        )
    )


@bp.route(
    BASE + "/<int:survey_id>/preview", methods=["GET", "POST"], endpoint="preview"
)
@login_required
def preview(slug: str, survey_id: int):
    """The survey as respondents see it; sending it checks the answers, stores nothing."""
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    form = AnswerForm()
    raw, errors, checked = {}, {}, False
    if form.validate_on_submit():
        raw = raw_from_form(request.form)
        try:
            parse_answers(survey, raw, complete=True)
            checked = True
        except AnswersInvalid as exc:
            errors = exc.errors
    return render_template(
        "surveys/manage/preview.html",
        survey=survey,
        form=form,
        raw=raw,
        errors=errors,
        checked=checked,
        **_common(event),
    )


@bp.get(BASE + "/<int:survey_id>/non-responders", endpoint="non_responders")
@login_required
def non_responders_page(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    people = [] if survey.anonymous else non_responders(survey)
    page = query_page()
    pages = max((len(people) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template(
        "surveys/manage/non_responders.html",
        survey=survey,
        people=people[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total_people=len(people),
        page=min(page, pages),
        pages=pages,
        counts=non_responder_counts(survey),
        drafts=draft_holders(survey),
        audience=audience_size(survey),
        responses=submitted_count(survey),
        **_common(event),
    )


@bp.post(BASE + "/<int:survey_id>/remind", endpoint="remind")
@login_required
def remind(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    _require_button()
    outcome = attempt_action(
        lambda: remind_non_responders(survey, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_sent_message(outcome.value, "reminder"), "success")
    return redirect(url_for("surveys.non_responders", slug=slug, survey_id=survey.id))


@bp.post(BASE + "/<int:survey_id>/invite", endpoint="invite")
@login_required
def invite(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    _require_button()
    outcome = attempt_action(
        lambda: send_invitations(survey, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_sent_message(outcome.value, "invitation"), "success")
    return redirect(url_for("surveys.non_responders", slug=slug, survey_id=survey.id))


def _sent_message(report, kind: str) -> str:
    if kind == "reminder":
        text = ngettext("%(num)d reminder queued.", "%(num)d reminders queued.",
                        report.queued)  # fmt: skip
    else:
        text = ngettext("%(num)d invitation queued.", "%(num)d invitations queued.",
                        report.queued)  # fmt: skip
    if report.skipped:
        text += " " + ngettext(
            "%(num)d person skipped (no email address, already invited, not "
            "invited yet, or reminded within the last day).",
            "%(num)d people skipped (no email address, already invited, not "
            "invited yet, or reminded within the last day).",
            report.skipped,
        )
    return text
