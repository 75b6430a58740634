"""Messages composed by the sender: the registry of composers.

A request that must tell someone something queues a row that says what and
about whom (``queue_composed_email``) instead of rendering the message there
and then. When the message's turn comes, the sender asks the row's composer
for its text (``compose``): the request does no rendering, and the message
carries the facts of the moment it leaves. A composer may decide that the
message is no longer right for its recipient and withdraw it with a reason.

Areas register their composers at import (``register_composer``); this module
imports none of them, so the outbox depends on no area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from consult.notifications.mime import EmailAttachment
from consult.notifications.models import OutboundEmail


@dataclass(frozen=True)
class Composed:
    """The text of one message, as its composer wrote it."""

    subject: str
    body_text: str
    body_html: str
    attachments: tuple[EmailAttachment, ...] = ()
    # The locale it is written in (consult.languages.composing_for).
    language: str = ""


class Withdrawn(Exception):
    """The message must not be sent any more; ``reason`` says why, for the organiser."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Called with the row and the moment of composing (the message's Date).
Composer = Callable[[OutboundEmail, datetime], Composed]
_COMPOSERS: dict[str, Composer] = {}


def register_composer(name: str, composer: Composer) -> None:
    """Make ``composer`` compose the rows queued under ``name`` (once per name)."""
    if not name or len(name) > 40:
        raise ValueError("a composer's name has 1 to 40 characters")
    known = _COMPOSERS.get(name)
    if known is not None and known is not composer:
        raise ValueError(f"composer {name!r} is registered already")
    _COMPOSERS[name] = composer


def composer_named(name: str) -> Composer:
    try:
        return _COMPOSERS[name]
    except KeyError:
        raise LookupError(f"no composer registered as {name!r}") from None


def compose(row: OutboundEmail, *, now: datetime) -> Composed:
    """The row's text, from its composer; Withdrawn when it must not be sent."""
    return composer_named(row.composer)(row, now)
