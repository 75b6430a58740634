"""The organiser's dashboard, the consultation report (HTML and PDF), publishing."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from consult.attempts import submit
from consult.dashboard import bp
from consult.dashboard.forms import (
    PublishForm,
    ReportLanguageForm,
    ReportNotesForm,
    UnpublishForm,
)
from consult.dashboard.routes.prepared import offer_or_serve
from consult.dashboard.routes.public import freeze_if_migrated
from consult.dashboard.services.dashboard import dashboard_data
from consult.dashboard.services.pdf import pdf_available
from consult.dashboard.services.publication import (
    check_publication,
    publication_status,
    publish_results,
    unpublish_results,
)
from consult.dashboard.services.report import report_data
from consult.dashboard.services.report_notes import (
    latest_notes,
    notes_versions,
    save_notes,
)
from consult.errors import DomainError
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import show_error
from consult.i18n import language_tag
from consult.languages import LANGUAGE_NAMES
from consult.live.services.summary import live_summary
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>"


def _render_dashboard(event, publish_form=None, status=200):
    if status == 200:
        freeze_if_migrated(event)
    data = dashboard_data(event, now=now_utc())
    if publish_form is None:
        note = data.publication.note if data.publication else ""
        publish_form = PublishForm(note=note)
    page = render_template(
        "dashboard/event.html",
        event=event,
        data=data,
        publish_form=publish_form,
        unpublish_form=UnpublishForm(),
        results=publication_status(event, data),
        pdf_problem=pdf_available(),
        language_names=LANGUAGE_NAMES,
        live=live_summary(event),
    )
    return page, status


@bp.get(BASE + "/dashboard", endpoint="event")
@login_required
def event(slug: str):
    return _render_dashboard(managed_event_or_404(slug))


@bp.post(BASE + "/results/publish", endpoint="publish")
@login_required
def publish(slug: str):
    event = managed_event_or_404(slug)
    form = PublishForm()
    if submit(
        form,
        lambda: publish_results(
            event, current_user, note=form.note.data, now=now_utc()
        ),
        check=lambda: check_publication(event, form.note.data),
    ):
        db.session.commit()
        flash(_("The results page is public."), "success")
        return redirect(url_for("dashboard.event", slug=slug) + "#publication")
    return _render_dashboard(event, form, 400)


@bp.post(BASE + "/results/unpublish", endpoint="unpublish")
@login_required
def unpublish(slug: str):
    event = managed_event_or_404(slug)
    if UnpublishForm().validate_on_submit():
        # What the service returns says whether the page was up, not whether
        # taking it down worked: a refusal would be an exception.
        was_public = unpublish_results(event)
        db.session.commit()
        if was_public:
            flash(_("The results page is no longer public."), "success")
        else:
            flash(_("The results page was not public."), "info")
    return redirect(url_for("dashboard.event", slug=slug) + "#publication")


def _language_form() -> ReportLanguageForm:
    return ReportLanguageForm(formdata=request.args, default=str(get_locale()))


def _report_html(event, *, for_pdf: bool) -> Markup:
    """The report in the current (forced) locale: figures, charts, dates, numbers."""
    data = report_data(event, now=now_utc())
    return Markup(
        render_template(
            "dashboard/_report.html",
            event=data.event,
            report=data,
            for_pdf=for_pdf,
            # The organiser's page offers to start an action from each input
            # selected for the plan of the event's host city (not the PDF).
            plan_city_slug=None if for_pdf or event.city is None else event.city.slug,
        )
    )


def _render_report(event, notes_form=None, status=200):
    form = _language_form()
    notes = latest_notes(event)
    if notes_form is None:
        notes_form = ReportNotesForm(
            key_findings=notes.key_findings if notes else "",
            next_steps=notes.next_steps if notes else "",
        )
    with force_locale(form.language):
        body = _report_html(event, for_pdf=False)
    page = render_template(
        "dashboard/report.html",
        event=event,
        report_html=body,
        report_lang=language_tag(form.language),
        language_form=form,
        notes_form=notes_form,
        notes=notes,
        notes_count=notes_versions(event),
        pdf_problem=pdf_available(),
    )
    return page, status


@bp.get(BASE + "/report", endpoint="report")
@login_required
def report(slug: str):
    return _render_report(managed_event_or_404(slug))


@bp.post(BASE + "/report/notes", endpoint="report_notes")
@login_required
def report_notes(slug: str):
    event = managed_event_or_404(slug)
    form = ReportNotesForm()
    if form.validate_on_submit():
        try:
            save_notes(
                event,
                current_user,
                key_findings=form.key_findings.data,
                next_steps=form.next_steps.data,
                now=now_utc(),
            )
        except DomainError as exc:
            db.session.rollback()
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Key findings and next steps saved as a new version."), "success")
            lang = _language_form().language
            return redirect(
                url_for("dashboard.report", slug=slug, lang=lang) + "#notes"
            )
    return _render_report(event, form, 422)


@bp.get(BASE + "/report.pdf", endpoint="report_pdf")
@login_required
def report_pdf(slug: str):
    """The kept PDF, or its progress, or the offer to prepare it (the scheduler
    prints it: ``routes/prepared.py``)."""
    event = managed_event_or_404(slug)
    problem = pdf_available()
    if problem is not None:
        page = render_template(
            "dashboard/pdf_unavailable.html", event=event, problem=problem
        )
        return page, 503
    return offer_or_serve(event, "report_pdf", _language_form().language)
