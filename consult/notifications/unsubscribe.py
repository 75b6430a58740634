"""List-Unsubscribe (RFC 2369, one-click per RFC 8058) for optional messages.

Each reminder and follow-up carries a signed link naming the registration;
a POST to it (the mail client's one-click, or the button on the page the
link opens) records that the person wants no more of the event's optional
messages. The engine then skips them, and their queued optional messages are
withdrawn at once. The link is signed with the registration's manage nonce,
so erasing the registration revokes it like every other personal link.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, update

from consult.errors import NotFound, ValidationFailed
from consult.extensions import db
from consult.links import external_url
from consult.notifications.models import (
    OPTIONAL_TEMPLATES,
    TEST_SEND_PREFIX,
    OutboundEmail,
)
from consult.notifications.services import normalise_recipient
from consult.registration.models import Registration
from consult.signing import row_from_token, sign_row

PURPOSE = "message-unsubscribe"


def unsubscribe_token(registration: Registration) -> str:
    return sign_row(PURPOSE, registration.id, registration.manage_nonce)


def list_unsubscribe_url(registration: Registration) -> str:
    """The absolute one-click link of a registrant's optional messages."""
    return external_url(
        "notifications.unsubscribe", token=unsubscribe_token(registration)
    )


def registration_from_unsubscribe_token(token: str) -> Registration:
    """The registration a link names; NotFound for a bad, forged or revoked one."""
    registration = row_from_token(
        PURPOSE,
        token,
        get=lambda reg_id: db.session.get(Registration, reg_id),
        nonce_of=lambda r: r.manage_nonce,
    )
    if registration is None or registration.erased_at is not None:
        raise NotFound(_("This unsubscribe link is not valid any more."))
    return registration


def opt_out(registration: Registration, *, now: datetime) -> int:
    """Record the opt-out (once) and withdraw the person's queued optional messages.

    Returns how many queued messages were withdrawn. Idempotent: a second
    click keeps the first moment and finds nothing more to withdraw.
    """
    if registration.messages_opted_out_at is None:
        registration.messages_opted_out_at = now
    try:
        addresses = [normalise_recipient(registration.email or "")]
    except ValidationFailed:
        addresses = []
    withdrawn = db.session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.event_id == registration.event_id,
            OutboundEmail.status == "queued",
            OutboundEmail.template.in_(OPTIONAL_TEMPLATES),
            ~OutboundEmail.dedup_key.startswith(TEST_SEND_PREFIX),
            or_(
                OutboundEmail.registration_id == registration.id,
                OutboundEmail.recipient.in_(addresses),
            ),
        )
        .values(
            status="withdrawn",
            last_error=_(
                "Not sent: the recipient unsubscribed from this event's "
                "reminders and follow-ups."
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.flush()
    return withdrawn
