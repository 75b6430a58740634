"""Glue shared by the directory pages: whose link it is, and the closed page."""

from __future__ import annotations

from flask import abort, render_template

from consult.directory.services.listing import (
    directory_open,
    filter_options,
    require_member,
)
from consult.errors import NotFound, PermissionDenied
from consult.registration.services.tokens import registration_from_token

BASE = "/events/<slug>/registration/<token>/directory"


def own_registration_or_404(slug: str, token: str):
    """The registration a manage link opens, under its own event; erased: 404."""
    try:
        registration = registration_from_token(token)
    except NotFound:
        abort(404)
    if registration.event.slug != slug or registration.erased_at:
        abort(404)
    return registration


def member_or_none(registration):
    """The registration when it may use the directory, else None."""
    try:
        require_member(registration)
    except PermissionDenied:
        return None
    return registration


def closed_page(registration, token: str):
    """Why the directory is not open to this person, and how to join (403)."""
    page = render_template(
        "directory/closed.html",
        event=registration.event,
        registration=registration,
        token=token,
        may_join=directory_open(registration),
    )
    return page, 403


def filter_choices(registration) -> dict:
    return filter_options(registration)
