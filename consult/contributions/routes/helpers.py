"""Glue shared by the contributions pages: access, uploads, file responses."""

from __future__ import annotations

import os

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import select

from consult.contributions.services import (
    Upload,
    can_review,
    proposal_from_token,
    representative_from_token,
)
from consult.contributions.services.files import download_name
from consult.errors import NotFound
from consult.events.models import Event
from consult.extensions import db
from consult.storage.web import download_response


def proposal_rate_limit() -> str:
    """Proposals submitted or edited per client address."""
    return current_app.config.get("CONTRIBUTION_RATE_LIMIT", "20 per hour")


def event_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    return event


def review_event_or_404(slug: str) -> Event:
    """An event whose proposals the current user may see (organiser or reviewer)."""
    event = event_or_404(slug)
    if not can_review(current_user, event):
        abort(404 if event.is_draft else 403)
    return event


def own_proposal_or_404(slug: str, token: str):
    try:
        proposal = proposal_from_token(token)
    except NotFound:
        abort(404)
    if proposal.event.slug != slug:
        abort(404)
    return proposal


def representative_or_404(slug: str, token: str):
    try:
        rep = representative_from_token(token)
    except NotFound:
        abort(404)
    if rep.event.slug != slug:
        abort(404)
    return rep


def uploaded_slides(form) -> Upload | None:
    """The file sent in the form's slides field, as a stream read later in chunks."""
    storage = form.slides.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return Upload(filename=os.path.basename(storage.filename), content=storage.stream)


def slides_response(proposal):
    """The stored slides as a download, never cached by shared caches."""
    if proposal.slides_file is None:
        abort(404)
    return download_response(
        proposal.slides_file,
        download_name=download_name(proposal.slides_original, proposal.slides_type),
    )
