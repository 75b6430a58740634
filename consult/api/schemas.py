"""The API's marshmallow schemas: they validate requests, shape responses and
are the OpenAPI document's components (one source for all three)."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from marshmallow import fields, validate

from consult.api.models import SCOPES
from consult.registration.models import REGISTRATION_STATUSES

MAX_PAGE = 200


class UTCDateTimeField(fields.DateTime):
    """ISO 8601 in UTC (``...+00:00``); input without a zone is refused."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return super()._serialize(value.astimezone(UTC), attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            raise ma.ValidationError("Give a time zone offset, e.g. Z or +08:00.")
        if not 1 < moment.year < 9999:
            raise ma.ValidationError("Out of range.")
        return moment.astimezone(UTC)


class Problem(ma.Schema):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Refused input: field name -> messages."},
    )


# ---- events -------------------------------------------------------------


class Speaker(ma.Schema):
    name = fields.String(required=True)
    affiliation = fields.String(required=True)
    city = fields.String(required=True)
    country = fields.String(required=True)


class AgendaSession(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    start_at = UTCDateTimeField(required=True)
    end_at = UTCDateTimeField(required=True)
    speakers = fields.List(fields.Nested(Speaker), required=True)


class StakeholderType(ma.Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    label = fields.String(required=True)
    target_share = fields.Integer(
        required=True, metadata={"description": "Percent of confirmed seats."}
    )
    cap = fields.Integer(allow_none=True, required=True)


class EventSummary(ma.Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(("draft", "published", "cancelled"))
    )
    timezone = fields.String(
        required=True, metadata={"description": "The event's IANA time zone."}
    )
    start_at = UTCDateTimeField(required=True)
    end_at = UTCDateTimeField(required=True)
    host_city = fields.String(required=True)
    host_country = fields.String(required=True)
    programme = fields.String(
        allow_none=True, required=True, metadata={"description": "Programme slug."}
    )
    managed = fields.Boolean(
        required=True,
        metadata={"description": "Whether the token's owner manages the event."},
    )
    updated_at = UTCDateTimeField(required=True)


class EventDetail(EventSummary):
    capacity = fields.Integer(allow_none=True, required=True)
    confirmed_count = fields.Integer(required=True)
    waiting_count = fields.Integer(required=True)
    registration_opens_at = UTCDateTimeField(allow_none=True, required=True)
    registration_closes_at = UTCDateTimeField(allow_none=True, required=True)
    sessions = fields.List(fields.Nested(AgendaSession), required=True)
    stakeholder_types = fields.List(fields.Nested(StakeholderType), required=True)


class EventPage(ma.Schema):
    items = fields.List(fields.Nested(EventSummary), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class PageArgs(ma.Schema):
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "`next_cursor` of the previous page."},
    )
    limit = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=MAX_PAGE)
    )


class EventFilter(PageArgs):
    programme = fields.String(
        load_default=None,
        validate=validate.Length(max=120),
        metadata={"description": "A programme's slug."},
    )
    status = fields.String(
        load_default=None, validate=validate.OneOf(("draft", "published", "cancelled"))
    )
    starts_after = UTCDateTimeField(load_default=None)
    starts_before = UTCDateTimeField(load_default=None)

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        after, before = data.get("starts_after"), data.get("starts_before")
        if after and before and before < after:
            raise ma.ValidationError(
                "Must not be before starts_after.", "starts_before"
            )


# ---- registrations ------------------------------------------------------


class TypeRef(ma.Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    label = fields.String(required=True)


class Registration(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(REGISTRATION_STATUSES)
    )
    stakeholder_type = fields.Nested(TypeRef, required=True)
    role = fields.String(required=True)
    full_name = fields.String(required=True)
    email = fields.String(allow_none=True, required=True)
    phone = fields.String(required=True)
    organisation = fields.String(required=True)
    job_title = fields.String(required=True)
    country = fields.String(required=True)
    city = fields.String(required=True)
    timezone = fields.String(required=True)
    language = fields.String(allow_none=True, required=True)
    waitlist_position = fields.Integer(allow_none=True, required=True)
    assisted = fields.Boolean(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    created_at = UTCDateTimeField(required=True)
    updated_at = UTCDateTimeField(required=True)
    confirmed_at = UTCDateTimeField(allow_none=True, required=True)
    cancelled_at = UTCDateTimeField(allow_none=True, required=True)
    checked_in_at = UTCDateTimeField(allow_none=True, required=True)
    attended = fields.Boolean(required=True)
    attended_minutes = fields.Integer(allow_none=True, required=True)
    event_timezone = fields.String(
        required=True, metadata={"description": "The event's IANA time zone."}
    )


class RegistrationPage(ma.Schema):
    items = fields.List(fields.Nested(Registration), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class RegistrationFilter(PageArgs):
    status = fields.String(
        load_default=None, validate=validate.OneOf(REGISTRATION_STATUSES)
    )
    stakeholder_type = fields.String(
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "A stakeholder type's key."},
    )
    updated_since = UTCDateTimeField(load_default=None)


def _text(max_length: int, **kwargs):
    return fields.String(
        load_default="", validate=validate.Length(max=max_length), **kwargs
    )


class NewRegistration(ma.Schema):
    """An assisted registration, as an organiser makes it on their page."""

    class Meta:
        unknown = ma.RAISE

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = _text(254, metadata={"description": "Email, phone, or both."})
    phone = _text(40, metadata={"description": "E.164, or national with country."})
    organisation = _text(200)
    job_title = _text(200)
    country = fields.String(
        required=True,
        validate=validate.Length(equal=2),
        metadata={"description": "ISO 3166-1 alpha-2."},
    )
    city = _text(120)
    type_key = fields.String(required=True, validate=validate.Length(min=1, max=40))
    role = fields.String(
        load_default="attendee", validate=validate.OneOf(("attendee", "expert"))
    )
    timezone = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "IANA zone; the event's when left out."},
    )
    language = fields.String(load_default=None, validate=validate.Length(max=20))
    needs_interpretation = _text(200)
    needs_captions = fields.Boolean(load_default=False)
    other_needs = _text(2000)
    consent_privacy = fields.Boolean(
        required=True,
        metadata={
            "description": "The person accepted the event's privacy notice "
            "(you read or showed it to them): must be true."
        },
    )
    consent_recording = fields.Boolean(load_default=False)
    consent_listing = fields.Boolean(load_default=False)
    consent_followup = fields.Boolean(load_default=False)
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=12)),
        values=fields.String(validate=validate.Length(max=1000)),
        load_default=dict,
        metadata={"description": "Question id -> answer."},
    )


class TokenInfo(ma.Schema):
    """The token making the request."""

    name = fields.String(required=True)
    prefix = fields.String(required=True)
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)), required=True)
    expires_at = UTCDateTimeField(allow_none=True, required=True)
    owner = fields.String(required=True)


# ---- library ------------------------------------------------------------


class LibraryEntry(ma.Schema):
    id = fields.Integer(required=True)
    source = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    body = fields.String(required=True)
    results = fields.String(required=True)
    organisation = fields.String(required=True)
    links = fields.String(required=True)
    city = fields.String(required=True)
    country = fields.String(required=True)
    category = fields.String(required=True)
    event = fields.String(required=True, metadata={"description": "Event slug."})
    published_at = UTCDateTimeField(required=True)


class LibraryPage(ma.Schema):
    items = fields.List(fields.Nested(LibraryEntry), required=True)
    total = fields.Integer(
        required=True, metadata={"description": "Matches, counted up to 1,001."}
    )
    page = fields.Integer(required=True)


class LibraryFilter(ma.Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    category = fields.String(load_default="", validate=validate.Length(max=40))
    country = fields.String(load_default="", validate=validate.Length(max=2))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))
