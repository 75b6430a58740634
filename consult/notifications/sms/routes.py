"""The gateway's inbound-message webhook (replies to our SMS)."""

from __future__ import annotations

from flask import Response, abort, current_app, request

from consult.extensions import csrf, db
from consult.links import external_url
from consult.notifications import bp
from consult.notifications.sms.inbound import is_stop, signature_is_valid, stop_sms
from consult.timeutil import now_utc

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


# The gateway POSTs without a session or a CSRF token; its signature over
# the URL and the parameters (under our auth token) is what authorises it.
@bp.post("/sms/inbound")
@csrf.exempt
def sms_inbound():
    # The URL the gateway was told to call, built from settings (behind a
    # proxy the request's own URL may differ from it).
    url = external_url("notifications.sms_inbound")
    params = [(name, value) for name, value in request.form.items(multi=True)]
    if not signature_is_valid(
        current_app.config.get("SMS_AUTH_TOKEN") or "",
        url,
        params,
        request.headers.get("X-Twilio-Signature", ""),
    ):
        abort(403)
    if is_stop(request.form.get("Body", "")):
        stop_sms(request.form.get("From", ""), now=now_utc())
        db.session.commit()
    return Response(EMPTY_TWIML, mimetype="text/xml")
