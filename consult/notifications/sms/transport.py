"""Where text messages go: files under ``instance/sms/``, or an HTTP gateway.

The gateway adapter speaks Twilio's Programmable Messaging API: ``POST
{SMS_GATEWAY_URL}/2010-04-01/Accounts/{SMS_ACCOUNT_SID}/Messages.json`` with
HTTP basic auth (account SID, auth token) and the form fields ``To``,
``From`` (or ``MessagingServiceSid``) and ``Body``; 201 with a JSON body
holding the message's ``sid`` and ``status``. Errors come as JSON ``{"code",
"message", "more_info", "status"}``.

Failures are sorted into the email transport's kinds, so the dispatcher
treats both alike: a 4xx is permanent (400, a number or text the gateway
refuses, is ``Undeliverable``: sending it again cannot help), except 429
(too many requests), which is temporary like a 5xx, a timeout or a refused
connection.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from flask import Flask

from consult.notifications.mime import MessageParts
from consult.notifications.transport import (
    PermanentFailure,
    TemporaryFailure,
    Undeliverable,
)

log = logging.getLogger(__name__)
API_VERSION = "2010-04-01"
DEFAULT_GATEWAY_URL = "https://api.twilio.com"


class FileSmsTransport:
    """Writes each text message to <instance>/sms/ for development without a gateway."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    def send(self, parts: MessageParts, email_id: int, date: datetime) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{date:%Y%m%dT%H%M%SZ}-{email_id}.txt"
        path.write_text(
            f"To: {parts.recipient}\nFrom: {self.sender}\n"
            f"Message-Id: {parts.message_id}\n\n{parts.body_text}",
            encoding="utf-8",
        )
        log.info("SMS written to %s (no SMS_ACCOUNT_SID configured)", path)
        return path.name

    def close(self) -> None:
        pass


class TwilioTransport:
    """One POST per message to the gateway's Messages resource."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.account_sid = config["SMS_ACCOUNT_SID"]
        self.auth_token = config.get("SMS_AUTH_TOKEN") or ""
        self.sender = config.get("SMS_SENDER") or ""
        self.service_sid = config.get("SMS_MESSAGING_SERVICE_SID") or ""
        self.timeout = float(config.get("SMS_TIMEOUT") or 15)
        base = (config.get("SMS_GATEWAY_URL") or DEFAULT_GATEWAY_URL).rstrip("/")
        account = urllib.parse.quote(self.account_sid, safe="")
        self.url = f"{base}/{API_VERSION}/Accounts/{account}/Messages.json"

    def _fields(self, parts: MessageParts) -> dict[str, str]:
        fields = {"To": parts.recipient, "Body": parts.body_text}
        if self.service_sid:
            fields["MessagingServiceSid"] = self.service_sid
        elif self.sender:
            fields["From"] = self.sender
        else:
            raise PermanentFailure(
                "SMS gateway: set SMS_SENDER or SMS_MESSAGING_SERVICE_SID"
            )
        return fields

    def send(self, parts: MessageParts, email_id: int, date: datetime) -> str:
        """POST the message; its gateway sid, or one of the failure kinds."""
        data = urllib.parse.urlencode(self._fields(parts)).encode("ascii")
        credentials = f"{self.account_sid}:{self.auth_token}".encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": "Basic " + base64.b64encode(credentials).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = _json(response.read())
        except urllib.error.HTTPError as exc:
            raise _failure(exc.code, _json(exc.read())) from exc
        except TimeoutError as exc:
            raise TemporaryFailure(f"SMS gateway timed out: {exc!r}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TemporaryFailure(f"SMS gateway unreachable: {exc!r}") from exc
        sid = str(body.get("sid") or "")
        log.info(
            "SMS %s accepted by the gateway: %s %s", email_id, sid, body.get("status")
        )
        return sid

    def close(self) -> None:
        pass


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8", "replace") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _failure(status: int, body: dict) -> Exception:
    code, message = body.get("code"), body.get("message") or ""
    more = body.get("more_info") or ""
    text = f"SMS gateway refused ({status}"
    text += f", code {code})" if code else ")"
    text += f": {message}" if message else ""
    text += f" {more}" if more else ""
    if status == 429 or status >= 500:
        return TemporaryFailure(text)
    if status == 400:
        return Undeliverable(text)
    return PermanentFailure(text)


@contextmanager
def open_sms_transport(app: Flask) -> Iterator[TwilioTransport | FileSmsTransport]:
    """The configured SMS transport: the gateway if SMS_ACCOUNT_SID is set."""
    if app.config.get("SMS_ACCOUNT_SID"):
        transport: TwilioTransport | FileSmsTransport = TwilioTransport(app)
    else:
        transport = FileSmsTransport(
            Path(app.instance_path) / "sms", app.config.get("SMS_SENDER") or ""
        )
    try:
        yield transport
    finally:
        transport.close()
