"""The organiser's message to many registrants: one text for all, or one per language.

The organiser writes a text for everyone and, if they wish, a subject and a
body for some of the languages their recipients read. Each person gets:

1. the text written in their own language, if there is one;
2. else the text in the event's default language (``Event.default_language``),
   if the organiser wrote one;
3. else the text for everyone.

A message is in one language from greeting to footer, and its
``Content-Language`` is the language of the text it carries. A text written
for a language is sent in that language: a Korean reader who gets the English
text (rule 2) gets an English greeting, English dates and an English footer,
never an English body inside a Korean frame. The text for everyone has no
language of its own (it may be written in several at once, or be a name and a
date), so as before each person gets it inside a greeting and a footer in
their own language (rules 1 and 3 therefore keep the reader's language).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.content import language_display
from consult.errors import Conflict, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.languages import composing_for, is_language, recipient_locale
from consult.notifications.services import queue_email
from consult.registration.models import REGISTRATION_STATUSES, Registration
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    count_registrants,
    registrants_query,
)
from consult.registration.services.tokens import manage_url
from consult.text import clean_text

SUBJECT_MAX = 200
BODY_MAX = 10000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# Where a reader's text comes from (see the module's rules).
OWN, EVENT_DEFAULT, EVERYONE = "own", "event_default", "everyone"


@dataclass(frozen=True)
class MessageOutcome:
    queued: int
    without_email: int


@dataclass(frozen=True)
class TextChoice:
    """Which text the readers of ``reader_language`` get, and in which
    language their message is written (greeting, footer, Content-Language)."""

    reader_language: str
    source: str  # OWN, EVENT_DEFAULT or EVERYONE
    text_language: str | None  # the written text's language; None for EVERYONE
    message_language: str


def subject_field(language: str | None) -> str:
    """The form field a language's subject is in (None: the text for everyone)."""
    return f"subject_{language}" if language else "subject"


def body_field(language: str | None) -> str:
    return f"body_{language}" if language else "body"


def choose_text(
    reader_language: str, written: Iterable[str], default_language: str
) -> TextChoice:
    """The text the readers of ``reader_language`` get, given the languages
    the organiser wrote a text in (the module's three rules)."""
    written = set(written)
    if reader_language in written:
        return TextChoice(reader_language, OWN, reader_language, reader_language)
    if default_language in written:
        return TextChoice(
            reader_language, EVENT_DEFAULT, default_language, default_language
        )
    return TextChoice(reader_language, EVERYONE, None, reader_language)


def message_problems(
    event: Event,
    subject: str | None,
    body: str | None,
    texts: Mapping[str, tuple[str | None, str | None]],
) -> list[ValidationFailed]:
    """Every rule the texts break, each naming its field; empty when they may go.

    A subject needs its body and a body its subject; the text for everyone is
    required unless there is one in the event's default language (which then
    reaches everyone without a text of their own); lengths as for any message.
    """
    problems: list[ValidationFailed] = []
    written = []
    for language, (own_subject, own_body) in [
        (None, (subject, body)),
        *texts.items(),
    ]:
        if language is not None and not is_language(language):
            problems.append(
                ValidationFailed(_("Consult does not write in this language."))
            )
            continue
        found = _pair_problems(language, own_subject, own_body)
        problems.extend(found)
        if not found and (own_subject or "").strip():
            written.append(language)
    everyone_has_problems = any(p.field in ("subject", "body") for p in problems)
    if (
        None not in written
        and event.default_language not in written
        and not everyone_has_problems
    ):
        problems.append(
            ValidationFailed(
                _(
                    "Write the text for everyone, or a text in %(language)s "
                    "for everyone without a text in their own language.",
                    language=language_display(event.default_language),
                ),
                field="subject",
            )
        )
    return problems


def _pair_problems(language, subject, body) -> list[ValidationFailed]:
    problems = []
    fields = (subject_field(language), body_field(language))
    for value, name, limit in (
        (subject, fields[0], SUBJECT_MAX),
        (body, fields[1], BODY_MAX),
    ):
        try:
            clean_text(value, name, max_length=limit)
        except ValidationFailed as exc:
            problems.append(exc)
    has_subject, has_body = bool((subject or "").strip()), bool((body or "").strip())
    if has_body and not has_subject:
        problems.append(
            ValidationFailed(_("Write a subject for this message."), field=fields[0])
        )
    if has_subject and not has_body:
        problems.append(
            ValidationFailed(_("Write the message for this subject."), field=fields[1])
        )
    return problems


class _Text:
    def __init__(self, subject: str | None, body: str | None):
        self.subject = (subject or "").strip()
        self.paragraphs = [
            p.strip() for p in _PARAGRAPH_BREAK.split((body or "").strip()) if p.strip()
        ]


# Whom a message goes to unless the organiser chooses otherwise: the people
# holding a seat, not everyone whatever their status.
DEFAULT_STATUSES = ("confirmed",)
TEMPLATE = "registration_message"


def recipients_filter(filters: RegistrantFilter) -> RegistrantFilter:
    """The filters a message goes by: the statuses chosen, or the list's one
    status filter, or else the confirmed people only (``DEFAULT_STATUSES``)."""
    chosen = tuple(s for s in filters.statuses if s in REGISTRATION_STATUSES)
    if not chosen:
        chosen = (filters.status,) if filters.status else DEFAULT_STATUSES
    return replace(filters, status="", statuses=chosen)


def _check_recipients(event, filters, expected: int | None) -> None:
    """``expected``: the number of recipients the review showed; the message
    goes to those people, or is refused when that number changed."""
    if expected is None:
        return
    now_reached = count_registrants(event, recipients_filter(filters), with_email=True)
    if now_reached != expected:
        raise Conflict(
            ngettext(
                "The recipients changed since your preview: the message would "
                "now go to %(num)d person. Nothing was sent; check and send again.",
                "The recipients changed since your preview: the message would "
                "now go to %(num)d people. Nothing was sent; check and send again.",
                now_reached,
            )
        )


def reachable(registration: Registration) -> bool:
    """Whether a message can reach the person: an address, and not erased."""
    return bool(registration.email) and registration.erased_at is None


@dataclass(frozen=True)
class Texts:
    """The organiser's checked texts: by language, and the one for everyone."""

    written: dict
    everyone: _Text | None

    @classmethod
    def checked(cls, event: Event, subject, body, texts) -> Texts:
        """The texts, or one ValidationFailed with every problem of
        ``message_problems``."""
        texts = dict(texts or {})
        problems = message_problems(event, subject, body, texts)
        if problems:
            raise ValidationFailed.of([(p.field, p.message) for p in problems])
        return cls(
            written={
                language: _Text(own_subject, own_body)
                for language, (own_subject, own_body) in texts.items()
                if (own_subject or "").strip()
            },
            everyone=_Text(subject, body) if (subject or "").strip() else None,
        )


@dataclass(frozen=True)
class Prepared:
    """One person's message before it is rendered: what ``queue_email`` takes."""

    subject: str
    context: dict
    language: str  # the message's locale (composing_for)


def prepare_message(
    event: Event, registration: Registration, texts: Texts, actor
) -> Prepared:
    """The message ``registration`` gets (the module's rules)."""
    choice = choose_text(
        recipient_locale(registration), texts.written, event.default_language
    )
    text = (
        texts.written[choice.text_language] if choice.text_language else texts.everyone
    )
    return Prepared(
        subject=text.subject,
        context=_message_context(registration, text.paragraphs, actor),
        language=choice.message_language,
    )


def send_bulk_message(
    event: Event,
    filters: RegistrantFilter,
    actor,
    *,
    subject: str | None,
    body: str | None,
    texts: Mapping[str, tuple[str | None, str | None]] | None = None,
    now: datetime,
    expected: int | None = None,
) -> MessageOutcome:
    """Queue one email per filtered registrant with an address (not erased ones).

    ``filters`` choose the people (``recipients_filter``: the confirmed ones
    unless statuses are chosen). ``subject`` and ``body`` are the text for
    everyone; ``texts`` maps a language to its own (subject, body); a pair
    left wholly empty is no text. Each person gets the text of the module's
    rules, in its language. Any problem refuses the whole message: nothing
    is queued.
    """
    require_manager(actor, event)
    checked = Texts.checked(event, subject, body, texts)
    _check_recipients(event, filters, expected)
    send_id = uuid.uuid4()
    queued = without_email = 0
    query = registrants_query(event, recipients_filter(filters))
    for registration in db.session.scalars(query):
        if not reachable(registration):
            without_email += 1
            continue
        message = prepare_message(event, registration, checked, actor)
        # The organiser's words as written; the greeting, the footer and the
        # dates in the language of the message (the module's docstring).
        with composing_for(message.language) as language:
            queue_email(
                template=TEMPLATE,
                to=registration.email,
                to_name=registration.full_name,
                subject=message.subject,
                context=message.context,
                dedup_key=f"message:{send_id}:{registration.id}",
                now=now,
                event=event,
                registration_id=registration.id,
                language=language,
            )
        queued += 1
    return MessageOutcome(queued=queued, without_email=without_email)


def _message_context(registration: Registration, paragraphs, actor) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "paragraphs": paragraphs,
        "sender_name": actor.display_name,
        "manage_url": manage_url(registration),
        # An organiser's message never carries the join link nor the dial-in
        # numbers: confirmed people have them in their confirmation and on
        # their manage page.
        "join_url": "",
        "dial_in": None,
        "viewer_zone": registration.timezone or event.timezone,
    }
