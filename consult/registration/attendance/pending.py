"""Carry an uploaded report from its preview to the Apply button, signed.

There is no server-side session and web hosts share only the database, so the
previewed file travels back in a hidden field: compressed, and signed with the
app's secret so that what is applied is exactly what the organiser previewed,
for this event, with the zone and threshold they chose.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.signing import BadToken, ExpiredToken, load, sign

MAX_AGE_SECONDS = 2 * 3600
# The signed field is about 1.8 times the compressed file: 2 MB of CSV that
# does not compress at all still fits.
FORM_FIELD_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class PendingReport:
    """An uploaded report waiting for the organiser's Apply."""

    event_id: int
    filename: str
    zone: str
    threshold_minutes: int
    data: bytes


def sign_pending(pending: PendingReport) -> str:
    """A token holding the report and the choices made on the upload form."""
    packed = base64.b64encode(zlib.compress(pending.data, 9)).decode("ascii")
    return sign(
        "attendance-import",
        {
            "e": pending.event_id,
            "f": pending.filename,
            "z": pending.zone,
            "t": pending.threshold_minutes,
            "d": packed,
        },
    )


def load_pending(token: str, *, event_id: int) -> PendingReport:
    """The report behind a token, refused when tampered, stale or for another event."""
    try:
        values = load("attendance-import", token, max_age=MAX_AGE_SECONDS)
    except ExpiredToken as exc:
        raise ValidationFailed(
            _("This preview is too old. Please upload the report again.")
        ) from exc
    except BadToken as exc:
        raise ValidationFailed(
            _("This preview could not be read. Please upload the report again.")
        ) from exc
    if values.get("e") != event_id:
        raise ValidationFailed(
            _("This preview belongs to another event. Please upload the report again.")
        )
    return PendingReport(
        event_id=values["e"],
        filename=values["f"],
        zone=values["z"],
        threshold_minutes=values["t"],
        data=zlib.decompress(base64.b64decode(values["d"])),
    )
