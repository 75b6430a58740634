"""Paper pages: the CSV template, the upload with its preview, the confirm step."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from consult.attempts import attempt
from consult.content import event_languages
from consult.exports import csv_download, csv_text, export_filename
from consult.extensions import db
from consult.facilitators.paper.forms import ConfirmImportForm, UploadForm
from consult.facilitators.paper.imports import (
    confirm_import,
    preview_import,
    template_header,
)
from consult.facilitators.routes.paper_common import paper_route
from consult.timeutil import now_utc


def _language(event) -> str:
    """The language asked for (?lang= or the form's), if the event offers it."""
    languages = event_languages(event)
    wanted = request.values.get("lang", "")
    return wanted if wanted in languages else languages[0]


@paper_route("template", "/template.csv")
def template(event, side):
    language = _language(event)
    with force_locale(language):
        header = template_header(event)
    name = export_filename(event.slug, "paper-template", language, ext="csv")
    return csv_download(name, csv_text(header, []))


def _page(event, side, form, *, preview=None, status=200):
    return (
        render_template(
            "facilitators/paper/import.html",
            event=event,
            side=side,
            form=form,
            preview=preview,
            confirm_form=ConfirmImportForm(formdata=None),
            language=_language(event),
            sheet_languages=event_languages(event),
        ),
        status,
    )


@paper_route("import", "/import", methods=("GET", "POST"))
def upload(event, side):
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(event, side, form, status=422 if form.is_submitted() else 200)
    upload = form.file.data
    outcome = attempt(
        form,
        lambda: preview_import(
            event,
            current_user,
            upload.read(),
            upload.filename or "",
            language=_language(event),
            now=now_utc(),
        ),
    )
    if not outcome:
        return _page(event, side, form, status=422)
    db.session.commit()  # keeps the file for the confirm step; nothing else
    return _page(event, side, form, preview=outcome.value)


@paper_route("import_confirm", "/import/confirm", methods=("POST",))
def confirm(event, side):
    form = ConfirmImportForm()
    outcome = form.validate_on_submit() and attempt(
        form,
        lambda: confirm_import(
            event,
            current_user,
            form.token.data,
            language=_language(event),
            now=now_utc(),
        ),
    )
    if not outcome:
        message = (
            form.errors.get("token")
            or form.form_errors
            or [_("Upload the file again.")]
        )[0]
        flash(message, "error")
        return redirect(url_for(side.prefix + "import", slug=event.slug))
    record, imported = outcome.value
    created = record.created
    db.session.commit()
    if imported:
        flash(
            ngettext(
                "%(num)d person imported from paper.",
                "%(num)d people imported from paper.",
                created,
            ),
            "success",
        )
    else:
        flash(_("This file was imported already: nothing was added."), "warning")
    return redirect(url_for(side.prefix + "import", slug=event.slug))
