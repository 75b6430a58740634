"""What registering did: the outcome the thank-you page and the caller read."""

from __future__ import annotations

from consult.content import text_in
from consult.extensions import db
from consult.registration.models import Registration


def _value(source, name: str):
    if source is None:
        return None
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name)


class RegistrationResult:
    """What registering did: the outcome for the thank-you page and the caller.

    The fast path (a new registration placed with Core statements) knows the
    outcome without an ORM object; ``registration`` loads it on first use.
    """

    def __init__(
        self,
        registration: Registration | None = None,
        created: bool = True,
        place: int | None = None,
        *,
        registration_id: int | None = None,
        status: str | None = None,
        type_label: str | None = None,
        event_full: bool | None = None,
        contact: dict | None = None,
    ):
        self._registration = registration
        self.created = created  # False: the email was already registered
        # The waiting-list place counted under the event lock when the person
        # was put on the list (the same number their email gives); else None.
        self.place = place
        self.registration_id = (
            registration.id if registration is not None else registration_id
        )
        self._status = status
        self._type_label = type_label
        self._event_full = event_full
        # Whether anyone listens to the event's facts (webhooks); False only
        # when the registration's own statement found nobody (register_one.py).
        self.heard = True
        # No email: the person's link went by SMS (the fast path always has one).
        self.texted_only = registration is not None and not registration.email
        # Where the messages went, the person's zone and the link nonce: the
        # fast path passes its column values (no ORM object to read them from).
        source = contact if contact is not None else registration
        self.email = _value(source, "email") or ""
        self.phone = _value(source, "phone") or ""
        self.timezone = _value(source, "timezone") or ""
        self.manage_nonce = _value(source, "manage_nonce") or ""
        self.type_id = _value(source, "stakeholder_type_id")

    @property
    def registration(self) -> Registration:
        if self._registration is None:
            self._registration = db.session.get(Registration, self.registration_id)
        return self._registration

    @property
    def status(self) -> str:
        return self._status or self.registration.status

    @property
    def waitlist_place(self) -> int | None:
        if self.place is not None:
            return self.place
        return self.registration.waitlist_place

    @property
    def type_label(self) -> str:
        if self._type_label is not None:
            return self._type_label
        return text_in(self.registration.stakeholder_type, "label")

    @property
    def event_full(self) -> bool:
        """Whether the event itself was full (not only the person's group)."""
        if self._event_full is not None:
            return self._event_full
        event = self.registration.event
        return event.capacity is not None and event.confirmed_count >= event.capacity
