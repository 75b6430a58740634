"""Checks shared by the event services."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask_babel import gettext as _

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event
from consult.timeutil import (
    UTC,
    date_in_range,
    date_range_message,
    localize,
    to_local,
    wall_time_exists,
    zone_city,
)


def require_organiser(actor) -> None:
    """Only active organiser and admin accounts may create events."""
    if actor is None or not actor.is_active or not actor.can_organise:
        raise PermissionDenied(_("Only organisers can create events."))


def require_manager(event: Event, actor) -> None:
    if not can_manage(actor, event):
        raise PermissionDenied(_("You cannot manage this event."))


def require_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationFailed(
            _("This event is cancelled and can no longer be changed. Clone it instead.")
        )


# C0 control characters other than tab and line breaks, and DEL: invisible,
# and PostgreSQL refuses NUL in text outright.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(text: str, field: str) -> str:
    """The text unchanged, or ValidationFailed if it holds control characters."""
    if _CONTROL_CHARACTERS.search(text):
        raise ValidationFailed(
            _("Please remove the invisible control characters from this text."),
            field=field,
        )
    return text


def clean_text(
    value: str | None, field: str, *, max_length: int, required: bool = False
) -> str:
    text = refuse_control_characters((value or "").strip(), field)
    if required and not text:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            _("At most %(n)d characters, please.", n=max_length), field=field
        )
    return text


def to_utc(value: datetime | None, zone: str, field: str, *, required: bool = False):
    """A wall-clock time in the event's zone (or an aware instant) as UTC."""
    if value is None:
        if required:
            raise ValidationFailed(_("Please give a date and time."), field=field)
        return None
    # Every date entered passes here (forms, imports, the CLI): one bound.
    if not date_in_range(value):
        raise ValidationFailed(date_range_message(), field=field)
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    if not wall_time_exists(value, zone):
        raise ValidationFailed(
            _(
                "%(time)s does not exist in %(city)s on that day: the clocks "
                "go forward then. Please choose another time.",
                time=value.strftime("%H:%M"),
                city=zone_city(zone),
            ),
            field=field,
        )
    return localize(value, zone)


def wall_clock(moment: datetime, zone: str) -> datetime:
    """The naive wall-clock time of an instant in a zone."""
    return to_local(moment, zone).replace(tzinfo=None)


def shift_wall(moment: datetime, old_zone: str, delta: timedelta, new_zone: str):
    """Move an instant by a wall-clock delta, so 16:00 stays 16:00 across DST."""
    return localize(wall_clock(moment, old_zone) + delta, new_zone)
