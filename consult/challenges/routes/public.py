"""The public challenges page, and the same page seen by a registrant."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.challenges import bp
from consult.challenges.labels import BUDGET_LABELS, KIND_LABELS, STATE_LABELS
from consult.challenges.routes.helpers import author_or_404
from consult.challenges.services import (
    PublicFilter,
    author_inputs,
    public_page,
    settings_for,
    support_input,
    supported_ids,
    window_open,
    withdraw_support,
)
from consult.challenges.services.moderation import event_input
from consult.errors import DomainError
from consult.events.access import visible_event_or_404
from consult.extensions import db
from consult.numbers import query_page
from consult.page_cache import anonymous_page_cache
from consult.timeutil import now_utc

# What a view of the page is made of: kept across a support's round trip.
VIEW_ARGS = ("challenge", "kind", "type", "q", "sort", "page")


def _render(event, *, author=None, token=None):
    page = public_page(
        event,
        PublicFilter.from_args(request.args),
        focus=request.args.get("challenge"),
        page=query_page(),
    )
    registration = author.registration if author else None
    return render_template(
        "challenges/public.html",
        event=event,
        page=page,
        filter_args=page.filters.args(),
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        budget_labels=BUDGET_LABELS,
        settings=settings_for(event),
        is_open=window_open(event, now_utc()),
        registration=registration,
        token=token,
        supported=supported_ids(event, registration) if registration else set(),
        own=[i for i in author_inputs(author) if i.state != "published"]
        if author
        else [],
    )


@bp.get("/events/<slug>/challenges", endpoint="public")
@anonymous_page_cache  # the overview only: a filtered view has a query, is rendered
def public(slug: str):
    event = visible_event_or_404(slug)
    return _render(event)


@bp.get("/events/<slug>/registration/<token>/challenges")
def participant_public(slug: str, token: str):
    author = author_or_404(slug, "registration", token)
    return _render(author.registration.event, author=author, token=token)


@bp.post("/events/<slug>/registration/<token>/inputs/<int:input_id>/support")
def support(slug: str, token: str, input_id: int):
    registration = author_or_404(slug, "registration", token).registration
    try:
        item = event_input(registration.event, input_id)
        if request.form.get("action") == "withdraw":
            withdraw_support(item, registration, now=now_utc())
        else:
            support_input(item, registration, now=now_utc())
    except DomainError as exc:
        db.session.rollback()
        abort(exc.status_code if exc.status_code in (403, 404) else 400)
    db.session.commit()
    view = {key: request.args.get(key) for key in VIEW_ARGS}
    target = url_for(".participant_public", slug=slug, token=token, **view)
    return redirect(f"{target}#input-{input_id}")


__all__ = ["_"]
