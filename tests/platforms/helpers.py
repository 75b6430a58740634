"""Shared steps of the platforms tests."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.platforms.models import PlatformLink, PlatformRegistrant
from consult.platforms.services.linking import LinkData, link_event


def link_zoom(app, event, organiser, now, *, existing="", kind="meeting"):
    link = link_event(
        event,
        organiser,
        LinkData("zoom", kind, existing),
        now=now,
        config=app.config,
    )
    db.session.commit()
    return link


def link_jitsi(app, event, organiser, now, room="circular-pj"):
    link = link_event(
        event, organiser, LinkData("jitsi", "room", room), now=now, config=app.config
    )
    db.session.commit()
    return link


def row_of(registration) -> PlatformRegistrant | None:
    db.session.expire_all()
    return db.session.scalar(
        select(PlatformRegistrant).where(
            PlatformRegistrant.registration_id == registration.id
        )
    )


def link_row(event) -> PlatformLink:
    db.session.expire_all()
    return db.session.scalar(
        select(PlatformLink).where(PlatformLink.event_id == event.id)
    )


def join_link_emails(registration=None) -> list[OutboundEmail]:
    query = select(OutboundEmail).where(OutboundEmail.dedup_key.like("%:join_link:%"))
    if registration is not None:
        query = query.where(OutboundEmail.registration_id == registration.id)
    return list(db.session.scalars(query))
