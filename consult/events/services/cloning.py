"""Cloning an event: a new draft with the source's details and agenda, plus
the parts of its set-up the organiser asks for (consult/clone_parts.py, where
each area registers its part; the event's own three are below).

The details (title, texts, host and partner cities, topics, capacity, dates
and agenda, moved by whole weeks to start after now) are always copied.

A part may need another, depending on the source: registration questions shown
to particular stakeholder types name the types by key, so they are copied only
with the types (``ClonePart.needs``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.clone_parts import (
    CloneJob,
    ClonePart,
    clone_parts,
    copied_translations,
    register_clone_part,
)
from consult.errors import Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import AgendaSession, Event, PartnerCity, Speaker
from consult.events.services.common import require_organiser
from consult.events.services.privacy import current_notice, start_notice
from consult.events.services.setup import give_event_defaults
from consult.events.services.slugs import unique_slug
from consult.extensions import db
from consult.timeutil import shift_wall, wall_clock


def check_clone(event: Event, parts: Collection[str]) -> None:
    """Every problem with copying ``parts`` of ``event``, raised together:
    an unknown part, or a part without one it needs; nothing is written."""
    problems = Problems()
    chosen = set(parts)
    for key in sorted(chosen - {part.key for part in clone_parts()}):
        problems.add(_("There is no such part to copy: %(key)s.", key=key))
    for part in clone_parts():
        if part.key not in chosen or part.needs is None:
            continue
        for needed, why in part.needs(event).items():
            if needed not in chosen:
                problems.add(str(why), part.key)
    problems.raise_any()


def clone_event(
    event: Event, actor, *, now: datetime, parts: Collection[str] | None = None
) -> Event:
    """Copy an event into a new draft, whole weeks later, starting after now,
    with the chosen ``parts`` of its set-up (None: every part)."""
    require_organiser(actor)
    require_manager(actor, event)
    chosen = {part.key for part in clone_parts()} if parts is None else set(parts)
    check_clone(event, chosen)
    if not event.agenda_in_range:
        raise ValidationFailed(
            _("This event's dates are out of range: correct them before cloning it.")
        )
    zone = event.timezone
    delta = _weeks_until_future(event, now)

    def shift(moment):
        return None if moment is None else shift_wall(moment, zone, delta, zone)

    clone = _copied_event(event, actor, shift, now)
    db.session.add(clone)
    db.session.flush()
    job = CloneJob(source=event, clone=clone, actor=actor, now=now, shift=shift)
    for part in clone_parts():
        if part.key in chosen:
            part.copy(job)
    db.session.flush()
    # Whatever the clone did not copy starts as a new event's would.
    give_event_defaults(clone, now=now)
    return clone


def _copied_event(event: Event, actor, shift, now: datetime) -> Event:
    clone = Event(
        slug=unique_slug(event.slug),
        title=event.title,
        summary=event.summary,
        description_md=event.description_md,
        # The texts above are written in it, so it always goes with them.
        default_language=event.default_language,
        host_city=event.host_city,
        host_country=event.host_country,
        host_city_id=event.host_city_id,
        programme_id=event.programme_id,
        topics=list(event.topics or []),
        timezone=event.timezone,
        start_at=shift(event.start_at),
        end_at=shift(event.end_at),
        # A join URL usually belongs to one meeting; a stale one is worse than none.
        join_url="",
        capacity=event.capacity,
        registration_opens_at=shift(event.registration_opens_at),
        registration_closes_at=shift(event.registration_closes_at),
        status="draft",
        sequence=0,
        owner_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    clone.partner_cities = [
        PartnerCity(
            name=c.name, country=c.country, position=c.position, city_id=c.city_id
        )
        for c in event.partner_cities
    ]
    clone.sessions = [_copy_session(s, shift) for s in event.sessions]
    return clone


def _copy_session(session: AgendaSession, shift) -> AgendaSession:
    return AgendaSession(
        title=session.title,
        description_md=session.description_md,
        start_at=shift(session.start_at),
        end_at=shift(session.end_at),
        speakers=[
            Speaker(
                name=s.name,
                affiliation=s.affiliation,
                city=s.city,
                country=s.country,
                bio=s.bio,
                position=s.position,
            )
            for s in session.speakers
        ],
    )


def _weeks_until_future(event: Event, now: datetime) -> timedelta:
    """At least one week, and as many more as needed to start after now."""
    zone = event.timezone
    behind = wall_clock(now, zone) - wall_clock(event.start_at, zone)
    weeks = max(1, behind.days // 7 + 1)
    while shift_wall(event.start_at, zone, timedelta(weeks=weeks), zone) <= now:
        weeks += 1
    return timedelta(weeks=weeks)


# The event's own parts.


def _copy_privacy_notice(job: CloneJob) -> None:
    # The source's notice, as its organisers wrote it, is the clone's first.
    start_notice(
        job.clone, job.clone.owner, now=job.now, text=current_notice(job.source).text_md
    )


def _copy_languages(job: CloneJob) -> None:
    job.clone.content_languages = list(job.source.content_languages or [])
    job.clone.translations = copied_translations(job.source.translations)
    # The clone's sessions were made from the source's, in the same order.
    for theirs, ours in zip(job.source.sessions, job.clone.sessions, strict=True):
        ours.translations = copied_translations(theirs.translations)


def _copy_sender(job: CloneJob) -> None:
    job.clone.email_sender_name = job.source.email_sender_name
    job.clone.email_reply_to = job.source.email_reply_to


register_clone_part(
    ClonePart(
        key="privacy",
        label=_l("Privacy notice"),
        explanation=_l("Its current text becomes the new event's first version."),
        copy=_copy_privacy_notice,
        order=70,
    )
)
register_clone_part(
    ClonePart(
        key="languages",
        label=_l("Content languages"),
        explanation=_l(
            "The other languages the event offers, and the translations of its "
            "title, summary, description and agenda."
        ),
        copy=_copy_languages,
        order=80,
    )
)
register_clone_part(
    ClonePart(
        key="sender",
        label=_l("Email sender"),
        explanation=_l("The sender name and Reply-To address of the event's emails."),
        copy=_copy_sender,
        order=90,
    )
)
