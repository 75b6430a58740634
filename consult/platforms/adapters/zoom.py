"""Zoom through a Server-to-Server OAuth app.

Token: ``POST {ZOOM_OAUTH_URL}?grant_type=account_credentials&account_id=…``
with HTTP basic auth (client id, client secret), answered with
``{"access_token", "token_type": "bearer", "expires_in"}``; kept per process
until a minute before it expires, and fetched again once when the API says
401 code 124 (invalid or expired access token).

Calls (JSON; errors as ``{"code", "message"}``): create a meeting
``POST /users/me/meetings`` (webinars: ``/users/me/webinars``) with
``settings.approval_type`` 0 (registration, approved at once); an existing
one ``GET /meetings/{id}``; add a registrant ``POST /meetings/{id}/registrants``
(``email``, ``first_name``, ``last_name``) → 201 ``{"registrant_id",
"join_url", …}`` (Zoom answers an address registered already with the same
registrant, so a retried call adds nobody twice); cancel one ``PUT
/meetings/{id}/registrants/status`` ``{"action": "cancel", "registrants":
[{"id", "email"}]}`` → 204; after the event ``GET
/report/meetings/{id}/participants?page_size=300&next_page_token=…`` (paged).

Failures: 429 is temporary, with ``Retry-After`` (seconds or an HTTP date)
when Zoom gives one; 5xx, timeouts and refused connections are temporary;
300, 400 and 404 (3001: meeting not found) are permanent.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from flask_babel import gettext as _

from consult.platforms.adapters.base import (
    Added,
    Meeting,
    MeetingSpec,
    Participant,
    Person,
    PlatformError,
)
from consult.timeutil import now_utc

DEFAULT_API_BASE = "https://api.zoom.us/v2"
DEFAULT_OAUTH_URL = "https://zoom.us/oauth/token"
INVALID_TOKEN = 124
PAGE_SIZE = 300
# Bounds a report's pages: 300 × 200 joins is more than any webinar here.
MAX_PAGES = 200

# Access tokens per (oauth url, account, client): one per process, shared by
# the job's calls until a minute before Zoom says it expires.
_TOKENS: dict[tuple[str, str, str], tuple[str, float]] = {}
_TOKENS_LOCK = threading.Lock()


def forget_tokens() -> None:
    """Drop every cached access token (tests; a changed secret)."""
    with _TOKENS_LOCK:
        _TOKENS.clear()


class ZoomAdapter:
    name = "zoom"
    personal_links = True
    has_report = True

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.account_id = config.get("ZOOM_ACCOUNT_ID") or ""
        self.client_id = config.get("ZOOM_CLIENT_ID") or ""
        self.client_secret = config.get("ZOOM_CLIENT_SECRET") or ""
        self.api_base = (config.get("ZOOM_API_BASE") or DEFAULT_API_BASE).rstrip("/")
        self.oauth_url = config.get("ZOOM_OAUTH_URL") or DEFAULT_OAUTH_URL
        self.timeout = float(config.get("PLATFORM_HTTP_TIMEOUT") or 15)

    # -- the interface -------------------------------------------------

    def create_or_link(self, spec: MeetingSpec) -> Meeting:
        plural = _plural(spec.kind)
        if spec.meeting_id:
            body = self._call("GET", f"/{plural}/{_id(spec.meeting_id)}")
        else:
            minutes = max(int((spec.end_at - spec.start_at).total_seconds() // 60), 1)
            body = self._call(
                "POST",
                f"/users/me/{plural}",
                {
                    "topic": spec.topic[:200],
                    "type": 5 if spec.kind == "webinar" else 2,
                    "start_time": spec.start_at.astimezone(UTC).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "duration": minutes,
                    "timezone": "UTC",
                    "settings": {
                        "approval_type": 0,
                        "registration_type": 1,
                        "registrants_email_notification": False,
                    },
                },
            )
        return Meeting(spec.kind, str(body.get("id", "")), body.get("join_url", ""))

    def add_registrant(
        self, meeting: Meeting, person: Person, *, ends_at: datetime
    ) -> Added:
        first, _space, last = person.full_name.strip().partition(" ")
        body = self._call(
            "POST",
            f"/{_plural(meeting.kind)}/{_id(meeting.meeting_id)}/registrants",
            {
                "email": person.email,
                "first_name": first[:64] or person.email,
                "last_name": last[:64],
            },
        )
        join_url = body.get("join_url") or ""
        registrant_id = str(body.get("registrant_id") or body.get("id") or "")
        if not join_url or not registrant_id:
            raise PlatformError(_("Zoom answered without a registrant or a join link."))
        return Added(registrant_id, join_url, personal=True)

    def remove_registrant(
        self, meeting: Meeting, registrant_id: str, email: str | None
    ) -> None:
        registrant: dict[str, str] = {"id": registrant_id}
        if email:
            registrant["email"] = email
        self._call(
            "PUT",
            f"/{_plural(meeting.kind)}/{_id(meeting.meeting_id)}/registrants/status",
            {"action": "cancel", "registrants": [registrant]},
        )

    def fetch_participants(self, meeting: Meeting) -> list[Participant]:
        path = f"/report/{_plural(meeting.kind)}/{_id(meeting.meeting_id)}/participants"
        people: list[Participant] = []
        token = ""
        for _page in range(MAX_PAGES):
            query = {"page_size": str(PAGE_SIZE)}
            if token:
                query["next_page_token"] = token
            body = self._call("GET", path, query=query)
            people.extend(_participant(row) for row in body.get("participants", []))
            token = body.get("next_page_token") or ""
            if not token:
                return people
        raise PlatformError(_("Zoom's report has more pages than Consult reads."))

    # -- HTTP ------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        query: dict[str, str] | None = None,
    ) -> dict:
        """One API call; a rejected token is fetched again once."""
        for fresh in (False, True):
            status, headers, answer = self._send(
                method, path, body, query, self._token(fresh=fresh)
            )
            if status == 401 and not fresh:
                continue  # expired or revoked: one new token, one more try
            return _outcome(status, headers, answer)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method, path, body, query, token):
        url = self.api_base + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        return _exchange(request, self.timeout)

    def _token(self, *, fresh: bool) -> str:
        if not (self.account_id and self.client_id and self.client_secret):
            raise PlatformError(
                _("Zoom is not set up: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and "
                  "ZOOM_CLIENT_SECRET are needed.")
            )  # fmt: skip
        key = (self.oauth_url, self.account_id, self.client_id)
        with _TOKENS_LOCK:
            kept = _TOKENS.get(key)
            if kept and not fresh and kept[1] > time.monotonic():
                return kept[0]
            _TOKENS.pop(key, None)
        token, lifetime = self._new_token()
        with _TOKENS_LOCK:
            _TOKENS[key] = (token, time.monotonic() + max(lifetime - 60, 0))
        return token

    def _new_token(self) -> tuple[str, int]:
        query = urllib.parse.urlencode(
            {"grant_type": "account_credentials", "account_id": self.account_id}
        )
        request = urllib.request.Request(
            f"{self.oauth_url}?{query}", data=b"", method="POST"
        )
        basic = base64.b64encode(
            f"{self.client_id}:{self.client_secret}".encode()
        ).decode("ascii")
        request.add_header("Authorization", f"Basic {basic}")
        status, headers, answer = _exchange(request, self.timeout)
        if status != 200 or not answer.get("access_token"):
            if status == 429 or status >= 500:
                _outcome(status, headers, answer)
            raise PlatformError(
                _("Zoom refused the app's credentials (%(status)d): %(reason)s",
                  status=status,
                  reason=answer.get("reason") or answer.get("error") or "")
            )  # fmt: skip
        return answer["access_token"], int(answer.get("expires_in") or 3600)


def _exchange(request: urllib.request.Request, timeout: float):
    """Status, headers and JSON body; a network failure is temporary."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, _json(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, _json(error.read())
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise PlatformError(
            _("Zoom could not be reached: %(reason)s", reason=str(error))
        ) from error


def _json(raw: bytes) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _outcome(status: int, headers, answer: dict) -> dict:
    if 200 <= status < 300:
        return answer
    code = answer.get("code")
    message = answer.get("message") or ""
    text = _("Zoom answered %(status)d (code %(code)s): %(message)s",
             status=status, code=code if code is not None else "-", message=message)  # fmt: skip
    if status == 429:
        raise PlatformError(text, retry_after=_retry_after(headers))
    if status >= 500 or status == 401:
        raise PlatformError(text)
    raise PlatformError(text, permanent=True)


def _retry_after(headers) -> float | None:
    value = (headers.get("Retry-After") or "").strip() if headers else ""
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now_utc()).total_seconds(), 0.0)


def _participant(row: dict) -> Participant:
    return Participant(
        name=str(row.get("name") or ""),
        email=str(row.get("user_email") or ""),
        join_time=_stamp(row.get("join_time")),
        leave_time=_stamp(row.get("leave_time")),
        seconds=int(row.get("duration") or 0),
    )


def _stamp(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    # Bounded like every date read from outside: a year near 9999 would
    # overflow the zone conversions of the attendance import.
    if not 2000 <= parsed.year <= 2999:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _plural(kind: str) -> str:
    return "webinars" if kind == "webinar" else "meetings"


def _id(meeting_id: str) -> str:
    return urllib.parse.quote(meeting_id, safe="")
