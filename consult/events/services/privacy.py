"""An event's privacy notice: its versions, the default text, and edits.

Each consent records ``events.privacy_notice_version`` as it was when the
person agreed; every version's text is kept (``privacy_notices``), so each
consent points to the words the person read. A changed text is a new
version; saving the same text again creates nothing.

An event made before notices were stored by its creation (test factories,
rows inserted by hand) has no row yet: its version 1 is the default text,
stored the first time the organiser saves a notice.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.events.access import require_manager
from consult.events.models import Event, PrivacyNotice
from consult.extensions import db
from consult.languages import event_language
from consult.text import clean_text, markdown_literal

MAX_NOTICE_LENGTH = 20_000


def default_notice_text(event: Event) -> str:
    """The notice Consult proposes, in the event's language, from its facts.

    It says only what Consult does: nothing is deleted on a schedule, and
    erasure is the person's own, through their personal link (or an
    organiser's on their request: registration/services/erasure.py).
    """
    owner = event.owner
    facts = {
        "title": markdown_literal(event.title),
        "name": markdown_literal(owner.display_name) if owner else _("the organisers"),
        "email": markdown_literal(owner.email) if owner else "",
    }
    with force_locale(event_language(event)):
        parts = [
            "## " + _("Who is responsible"),
            _(
                "%(name)s organises “%(title)s” and is responsible for the "
                "personal data collected for it (the controller).",
                **facts,
            ),
        ]
        if facts["email"]:
            parts.append(_("Contact: %(email)s", **facts))
        parts += [
            "## " + _("What is kept"),
            _(
                "What you give when you register: your name, email address, "
                "mobile number, organisation, job title, country, city, time "
                "zone, language, stakeholder group, your answers to the form's "
                "questions, your access needs and your consents. If you take "
                "part: your attendance, your inputs and priorities on the "
                "challenges, and your survey answers."
            ),
            "## " + _("Why"),
            _(
                "To run this event and consultation: seats and the waiting "
                "list, your confirmation, calendar invitation, joining "
                "details, reminders and follow-ups (by SMS only if you ask "
                "for it), and the results of the consultation by stakeholder "
                "group. Other participants see your name only if you agree "
                "to be listed."
            ),
            "## " + _("Who sees it"),
            _(
                "The event's organisers, and the facilitator who registered "
                "you if one did. Messages are sent through this site's email "
                "and SMS services."
            ),
            "## " + _("How long it is kept"),
            _(
                "Until you erase it: Consult deletes nothing on a schedule. "
                "Erasing removes your details, answers, priorities and "
                "supports and the messages addressed to you; what remains of "
                "your registration is an empty record that counts in no "
                "figure. Inputs you submitted stay, without your name; answers "
                "to anonymous surveys are not linked to you and stay."
            ),
            "## " + _("Your rights"),
            _(
                "With the personal link in your confirmation you can see and "
                "download your data, correct your details, cancel your "
                "registration and erase your data. Each optional message has "
                "an unsubscribe link; reply STOP to an SMS to end them. For "
                "anything else, or to object, write to the organisers; you "
                "may also complain to your data protection authority."
            ),
        ]
    return "\n\n".join(parts) + "\n"


def notice_versions(event: Event) -> list[PrivacyNotice]:
    """The stored versions of the event's notice, newest first."""
    return list(
        db.session.scalars(
            select(PrivacyNotice)
            .where(PrivacyNotice.event_id == event.id)
            .order_by(PrivacyNotice.number.desc())
        )
    )


def notice_of(event: Event, number: int | str | None) -> PrivacyNotice | None:
    """Version ``number`` of the event's notice (a consent's recorded label
    or a number); None if there is no such version.

    Version 1 of an event with no stored version is its default text, built
    now and not stored.
    """
    label = str(number or "")
    if not (label.isascii() and label.isdigit()) or len(label) > 9:
        return None
    found = db.session.scalar(
        select(PrivacyNotice).where(
            PrivacyNotice.event_id == event.id, PrivacyNotice.number == int(label)
        )
    )
    if found is None and int(label) == 1 and not _has_versions(event):
        return _default_version(event)
    return found


def current_notice(event: Event) -> PrivacyNotice:
    """The version people agree to now."""
    found = notice_of(event, event.privacy_notice_version)
    return found if found is not None else _default_version(event)


def start_notice(
    event: Event, actor, *, now: datetime, text: str | None = None
) -> PrivacyNotice:
    """Store version 1 for a new event: ``text`` (a clone's source's
    notice) or the default text."""
    notice = PrivacyNotice(
        event_id=event.id,
        number=1,
        text_md=text or default_notice_text(event),
        created_at=now,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(notice)
    event.privacy_notice_version = "1"
    db.session.flush()
    return notice


def save_notice(event: Event, actor, text: str, *, now: datetime):
    """Store ``text`` as the next version if it differs from the current one.

    Returns the new version, or None when the text is unchanged. New
    consents record the new number; earlier ones keep theirs.
    """
    require_manager(actor, event)
    text = check_notice(text)
    # Two organisers saving at once: the second waits, then numbers after
    # the first (the pair (event, number) is unique).
    db.session.execute(
        select(Event)
        .where(Event.id == event.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    current = current_notice(event)
    text = _normal(text)
    if text == _normal(current.text_md):
        return None
    if current.id is None and not _has_versions(event):
        # The default, never stored: keep it as version 1.
        db.session.add(current)
        db.session.flush()
    highest = db.session.scalar(
        select(func.max(PrivacyNotice.number)).where(PrivacyNotice.event_id == event.id)
    )
    notice = PrivacyNotice(
        event_id=event.id,
        number=(highest or 0) + 1,
        text_md=text,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(notice)
    event.privacy_notice_version = str(notice.number)
    event.updated_at = now
    db.session.flush()
    return notice


def check_notice(text: str | None) -> str:
    """The notice's text, trimmed, or ValidationFailed (``text_md``) when it
    is empty, too long or holds control characters; nothing is written."""
    return clean_text(text, "text_md", max_length=MAX_NOTICE_LENGTH, required=True)


def _normal(text: str) -> str:
    """The text with LF line ends and no trailing spaces: a browser sends
    CR LF, and saving the form again unchanged is not a new version."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


def _has_versions(event: Event) -> bool:
    return (
        db.session.scalar(
            select(PrivacyNotice.id).where(PrivacyNotice.event_id == event.id).limit(1)
        )
        is not None
    )


def _default_version(event: Event) -> PrivacyNotice:
    return PrivacyNotice(
        event_id=event.id,
        number=1,
        text_md=default_notice_text(event),
        created_at=event.created_at,
        created_by_id=None,
    )
