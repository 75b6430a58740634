"""Glue shared by the contributions pages: access, uploads, file responses."""

from __future__ import annotations

import io
import os

from flask import abort, current_app, send_file
from flask_login import current_user
from sqlalchemy import select

from consult.contributions.services import (
    Upload,
    can_review,
    max_bytes,
    proposal_from_token,
    representative_from_token,
)
from consult.contributions.services.files import (
    CONTENT_TYPES,
    download_name,
    path_of,
)
from consult.errors import NotFound
from consult.events.models import Event
from consult.extensions import db


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
    """The file sent in the form's slides field, read up to just past the limit."""
    storage = form.slides.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    content = storage.stream.read(max_bytes() + 1)
    return Upload(filename=os.path.basename(storage.filename), content=content)


def slides_response(proposal):
    """The stored slides as a download, never cached by shared caches."""
    if not proposal.slides_name:
        abort(404)
    try:
        path = path_of(proposal.slides_name)
    except ValueError:
        abort(404)
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        abort(404)
    response = send_file(
        io.BytesIO(content),
        mimetype=CONTENT_TYPES[proposal.slides_type],
        as_attachment=True,
        download_name=download_name(proposal.slides_original, proposal.slides_type),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
