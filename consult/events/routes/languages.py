"""Organiser page for an event's content languages and the translations of its texts."""

from __future__ import annotations

import time
from itertools import groupby

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
from sqlalchemy import select

from consult.attempts import attempt
from consult.content import event_languages
from consult.errors import DomainError
from consult.events import bp
from consult.events.access import managed_event_or_404
from consult.events.forms import ContentLanguagesForm
from consult.events.models import Event
from consult.events.services.languages import (
    content_texts,
    missing_counts,
    save_translations,
    set_content_languages,
)
from consult.extensions import db
from consult.forms import FlaskForm, FormProblem
from consult.i18n import LANGUAGE_NAMES, page_language_from
from consult.timeutil import now_utc


def _page(event, language: str, form, *, posted=None, refusal=None, status=200):
    texts = content_texts(event, language) if language else []
    problems = refusal.problems if refusal else []
    errors = {name: message for name, message in problems if name}
    # Under their headings, in the order a participant meets them.
    groups = [(group, list(rows)) for group, rows in groupby(texts, lambda t: t.group)]
    return (
        render_template(
            "events/manage/languages.html",
            event=event,
            form=form,
            texts_form=FlaskForm(),
            language=language,
            groups=groups,
            posted=posted or {},
            errors=errors,
            text_problems=_text_problems(texts, problems),
            missing=missing_counts(event),
            names=LANGUAGE_NAMES,
        ),
        status,
    )


def _text_problems(texts, problems) -> list[FormProblem]:
    """The translations' lines of the error summary: what is about the whole
    form first, then each text with a problem in page order, linked to it."""
    messages = {name: message for name, message in problems if name}
    return [
        FormProblem(None, "", (message,)) for name, message in problems if not name
    ] + [
        FormProblem(text.key, text.label, (messages[text.key],))
        for text in texts
        if text.key in messages
    ]


def _language_shown(event) -> str:
    others = event_languages(event)[1:]
    wanted = request.args.get("language", "")
    if wanted and wanted not in others:
        abort(404)
    return wanted or (others[0] if others else "")


@bp.route("/manage/events/<slug>/languages", methods=["GET", "POST"])
@login_required
def languages(slug: str):
    event = managed_event_or_404(slug)
    if request.method == "POST":
        form = ContentLanguagesForm(languages=LANGUAGE_NAMES)
    else:
        form = ContentLanguagesForm(
            languages=LANGUAGE_NAMES,
            data={
                "default": event.default_language,
                "others": list(event.content_languages or []),
            },
        )
    if form.validate_on_submit() and attempt(
        form,
        lambda: set_content_languages(
            event, current_user, form.default.data, form.others.data, now=now_utc()
        ),
    ):
        db.session.commit()
        flash(_("The event's languages are saved."), "success")
        return redirect(url_for("events.languages", slug=slug))
    status = 422 if form.is_submitted() else 200
    return _page(event, _language_shown(event), form, status=status)


@bp.post("/manage/events/<slug>/translations/<language>")
@login_required
def save_texts(slug: str, language: str):
    event = managed_event_or_404(slug)
    if language not in event_languages(event)[1:]:
        abort(404)
    form = ContentLanguagesForm(
        languages=LANGUAGE_NAMES,
        data={
            "default": event.default_language,
            "others": list(event.content_languages or []),
        },
    )
    texts_form = FlaskForm()
    if not texts_form.validate_on_submit():
        abort(400)
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        changed = save_translations(
            event, current_user, language, values, now=now_utc()
        )
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code in (403, 404):
            raise
        # Everything typed comes back, each message next to its field and
        # all of them in the summary above the form.
        return _page(event, language, form, posted=values, refusal=exc, status=422)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d translation saved in %(language)s.",
            "%(num)d translations saved in %(language)s.",
            changed,
            language=LANGUAGE_NAMES.get(language, language),
        ),
        "success",
    )
    return redirect(url_for("events.languages", slug=slug, language=language))


def _event_page_language() -> str | None:
    """On an event's pages, the language its texts are written in.

    Asked for the locale of every page of an event whose visitor's browser
    names none of our languages, and for the key of every anonymous page
    served from the page cache: each process keeps the answer for
    ``PAGE_CACHE_SECONDS`` (as the cache keeps the page), so a cached page
    costs no query. A change of the event's default language reaches such
    visitors within those seconds, like any other change of the page.
    """
    slug = (request.view_args or {}).get("slug")
    if not slug or "\x00" in slug:
        return None  # no event's (and PostgreSQL cannot compare it)
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    if seconds <= 0:
        return _default_language_of(slug)
    kept = current_app.extensions.setdefault(_KEPT_LANGUAGES, {})
    now = time.monotonic()
    found = kept.get(slug)
    if found is not None and found[1] > now:
        return found[0]
    language = _default_language_of(slug)
    if len(kept) >= _KEPT_MAX:
        kept.clear()  # bounded: a crawler of many slugs cannot grow it
    kept[slug] = (language, now + seconds)
    return language


_KEPT_LANGUAGES = "consult.events.page_languages"
_KEPT_MAX = 1024


def _default_language_of(slug: str) -> str | None:
    return db.session.scalar(select(Event.default_language).where(Event.slug == slug))


# A visitor whose browser names none of the interface languages reads an
# event's pages in the event's own language (consult.i18n.select_locale).
page_language_from(_event_page_language)
