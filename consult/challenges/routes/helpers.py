"""Glue shared by the challenges pages: who is acting, and how to refuse."""

from __future__ import annotations

from flask import abort, current_app

from consult.challenges.services import Author, expert_from_token
from consult.errors import NotFound
from consult.registration.services import registration_from_token


def input_rate_limit() -> str:
    return current_app.config.get("INPUT_RATE_LIMIT", "20 per hour")


def author_or_404(slug: str, who: str, token: str) -> Author:
    """The registrant or expert a personal link names, under its own event only."""
    try:
        if who == "registration":
            registration = registration_from_token(token)
            author = Author(registration=registration)
        else:
            author = Author(expert=expert_from_token(token))
    except NotFound:
        abort(404)
    person = author.registration or author.expert
    if person.event.slug != slug:
        abort(404)
    if author.registration is not None and author.registration.erased_at:
        abort(404)
    return author


def author_event(author: Author):
    return (author.registration or author.expert).event
