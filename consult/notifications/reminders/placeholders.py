"""Placeholders in organisers' custom subjects and messages: check and fill in."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from flask_babel import gettext as _

from consult.errors import ValidationFailed

PLACEHOLDERS = (
    "first_name",
    "event_title",
    "start_local",
    "join_link",
    "manage_link",
    "event_link",
    "slides_link",
    "recording_link",
    "survey_link",
    "time_until",
)
# The join link is personal and only for people who hold a seat.
SEATED_ONLY = {"join_link"}


def _fields(text: str, field: str) -> list[tuple[str, str, str | None]]:
    try:
        parsed = list(Formatter().parse(text or ""))
    except ValueError as exc:
        raise ValidationFailed(
            _("Unbalanced braces: write placeholders as {first_name}."), field
        ) from exc
    return [(name, spec, conv) for _lit, name, spec, conv in parsed if name is not None]


def check_placeholders(text: str, field: str, *, seated: bool = True) -> None:
    """ValidationFailed(field) naming any placeholder we cannot fill in."""
    for name, spec, conversion in _fields(text, field):
        # A format spec such as {first_name:>999999999} would build a huge
        # string for every recipient; placeholders are plain names only.
        if spec or conversion:
            raise ValidationFailed(
                _("Write placeholders as plain names, such as {first_name}."), field
            )
        if name not in PLACEHOLDERS:
            raise ValidationFailed(
                _(
                    "Unknown placeholder {%(name)s}. Available: %(known)s.",
                    name=name,
                    known=", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                ),
                field,
            )
        if name in SEATED_ONLY and not seated:
            raise ValidationFailed(
                _("{%(name)s} is only available in messages to confirmed registrants.",
                  name=name),
                field,
            )  # fmt: skip


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """The text with each known placeholder replaced by its value.

    Only names are substituted (never str.format with its specs and attribute
    lookups), so a text saved before today's checks cannot run up memory or
    fail; an unknown name becomes empty and unbalanced text stays as it is.
    """
    try:
        parsed = list(Formatter().parse(text or ""))
    except ValueError:
        return text or ""
    parts = []
    for literal, name, _spec, _conversion in parsed:
        parts.append(literal)
        if name is not None and name in PLACEHOLDERS:
            parts.append(str(values.get(name, "")))
    return "".join(parts)
