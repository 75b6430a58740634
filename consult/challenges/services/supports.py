"""Supports: a registrant backs a published input, at most once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from consult.challenges.models import Input, InputSupport, Priority
from consult.challenges.services.common import ACTIVE_STATUSES
from consult.errors import NotFound, PermissionDenied
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration


def _check(item: Input, registration) -> None:
    if item.event_id != registration.event_id or item.state != "published":
        raise NotFound(_("No such input."))
    if registration.status not in ACTIVE_STATUSES or registration.erased_at:
        raise PermissionDenied(_("Only registered participants can support inputs."))


def support_input(item: Input, registration, *, now: datetime) -> bool:
    """Add the registrant's support; False when they already support it."""
    _check(item, registration)
    try:
        # A savepoint: the unique constraint settles concurrent double clicks.
        with db.session.begin_nested():
            db.session.add(
                InputSupport(
                    input_id=item.id, registration_id=registration.id, created_at=now
                )
            )
    except IntegrityError:
        return False
    return True


def withdraw_support(item: Input, registration, *, now: datetime) -> None:
    """Remove the registrant's support, if any."""
    _check(item, registration)
    db.session.execute(
        delete(InputSupport).where(
            InputSupport.input_id == item.id,
            InputSupport.registration_id == registration.id,
        )
    )


def supported_ids(event, registration) -> set[int]:
    """Ids of the event's inputs this registrant supports."""
    return set(
        db.session.scalars(
            select(InputSupport.input_id)
            .join(Input, Input.id == InputSupport.input_id)
            .where(
                Input.event_id == event.id,
                InputSupport.registration_id == registration.id,
            )
        )
    )


def support_query(input_ids=None, *, event_id: int | None = None):
    """(input_id, n): each input's supports that count, i.e. of supporters
    ``counting.supporter()`` keeps (see consult.registration.counting); only
    of ``input_ids``, or of one event's supporters, when given."""
    query = (
        select(InputSupport.input_id, func.count(InputSupport.id).label("n"))
        .join(Registration, Registration.id == InputSupport.registration_id)
        .where(counting.supporter())
        .group_by(InputSupport.input_id)
    )
    if input_ids is not None:
        query = query.where(InputSupport.input_id.in_(list(input_ids)))
    if event_id is not None:
        # Through the supported inputs (few), not the event's registrations.
        query = query.join(Input, Input.id == InputSupport.input_id).where(
            Input.event_id == event_id
        )
    return query


def support_totals(event_id: int):
    """One event's ``support_query`` as a subquery, to join on its inputs."""
    return support_query(event_id=event_id).subquery()


def erasure_counts(registration) -> tuple[int, int, int]:
    """What an erasure finds of the person here: (inputs, which stay without
    their name; priorities and supports, which are deleted)."""

    def count(model) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.registration_id == registration.id)
        )

    return count(Input), count(Priority), count(InputSupport)


def erase_ballot_and_supports(registration) -> None:
    """On erasure: delete the person's priorities and supports; flushes.

    An erased registration counts nowhere (consult.registration.counting), so
    its ballot and supports would be stored for nothing. Their inputs stay:
    moderated content, no longer carrying their name.
    """
    db.session.execute(
        delete(Priority).where(Priority.registration_id == registration.id)
    )
    db.session.execute(
        delete(InputSupport).where(InputSupport.registration_id == registration.id)
    )
    db.session.flush()
