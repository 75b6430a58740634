"""A local stand-in for Zoom's OAuth and REST API, for the adapter and job tests.

It answers the calls Consult makes with the shapes of Zoom's published API
reference: the account-credentials token (Basic auth; ``access_token``,
``token_type``, ``expires_in``), meetings and webinars (create, get),
registrants (add → 201 with ``registrant_id`` and ``join_url``; the same
address answered with the same registrant; status ``cancel`` → 204), the
participants report (paged with ``next_page_token``), and errors as
``{"code", "message"}``: 401 code 124 for an unknown or expired token, 404
code 3001 for an unknown meeting, and whatever a test queues with ``fail``
(429 with ``Retry-After``, 400 ...).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_ID = "acct-123"
CLIENT_ID = "client-abc"
CLIENT_SECRET = "secret-xyz"


@dataclass
class Failure:
    method: str
    pattern: str  # a regular expression matched against the path
    status: int
    body: dict
    headers: dict = field(default_factory=dict)
    times: int = 1


@dataclass
class FakeZoom:
    """The platform's state, read and changed by tests between calls."""

    tokens: set = field(default_factory=set)
    tokens_issued: int = 0
    meetings: dict = field(default_factory=dict)  # id -> meeting dict
    registrants: dict = field(default_factory=dict)  # id -> {email: registrant}
    participants: dict = field(default_factory=dict)  # id -> list of rows
    failures: list = field(default_factory=list)
    calls: list = field(default_factory=list)  # (method, path, body)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    base_url: str = ""
    # Every token stops working once this many API calls were answered (0: never).
    expire_after_calls: int = 0
    api_calls: int = 0

    def add_meeting(self, meeting_id: str, kind: str = "meeting") -> None:
        self.meetings[meeting_id] = {
            "id": int(meeting_id),
            "kind": kind,
            "topic": "Existing",
            "join_url": f"https://zoom.example.test/j/{meeting_id}",
        }
        self.registrants.setdefault(meeting_id, {})

    def fail(self, method, pattern, status, body=None, headers=None, times=1):
        self.failures.append(
            Failure(method, pattern, status, body or {}, headers or {}, times)
        )

    def expire_tokens(self) -> None:
        """Every token handed out so far stops working (as after an hour)."""
        self.tokens.clear()

    def active(self, meeting_id: str) -> dict:
        """Registrants not cancelled: email -> registrant."""
        return {
            email: r
            for email, r in self.registrants.get(meeting_id, {}).items()
            if r["status"] == "approved"
        }

    def calls_to(self, method: str, pattern: str) -> list:
        return [c for c in self.calls if c[0] == method and re.search(pattern, c[1])]


class _Handler(BaseHTTPRequestHandler):
    zoom: FakeZoom

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def _handle(self, method):
        zoom = self.zoom
        parts = urllib.parse.urlsplit(self.path)
        path, query = parts.path, dict(urllib.parse.parse_qsl(parts.query))
        body = self._body() if method in ("POST", "PUT") else {}
        with zoom.lock:
            zoom.calls.append((method, path, body))
            for failure in zoom.failures:
                if failure.method == method and re.search(failure.pattern, path):
                    failure.times -= 1
                    if failure.times <= 0:
                        zoom.failures.remove(failure)
                    return self._answer(failure.status, failure.body, failure.headers)
            if path == "/oauth/token":
                return self._token(query)
            if zoom.expire_after_calls and zoom.api_calls == zoom.expire_after_calls:
                zoom.tokens.clear()  # an hour has passed, in the middle of a run
            zoom.api_calls += 1
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            if token not in zoom.tokens:
                return self._answer(
                    401, {"code": 124, "message": "Invalid access token."}
                )
            return self._api(method, path.removeprefix("/v2"), query, body)

    def _token(self, query):
        zoom = self.zoom
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if (
            self.headers.get("Authorization") != f"Basic {expected}"
            or query.get("grant_type") != "account_credentials"
            or query.get("account_id") != ACCOUNT_ID
        ):
            return self._answer(
                400,
                {
                    "reason": "Invalid client_id or client_secret",
                    "error": "invalid_client",
                },
            )
        zoom.tokens_issued += 1
        token = f"token-{zoom.tokens_issued}"
        zoom.tokens.add(token)
        return self._answer(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3599,
                "scope": "meeting:write:admin report:read:admin",
                "api_url": "https://api.zoom.us",
            },
        )

    def _not_found(self, meeting_id, kind="Meeting"):
        return self._answer(
            404, {"code": 3001, "message": f"{kind} does not exist: {meeting_id}."}
        )

    def _api(self, method, path, query, body):
        zoom = self.zoom
        if method == "POST" and path in ("/users/me/meetings", "/users/me/webinars"):
            meeting_id = str(80000000000 + next(zoom.ids))
            kind = "webinar" if path.endswith("webinars") else "meeting"
            zoom.add_meeting(meeting_id, kind)
            zoom.meetings[meeting_id].update(
                topic=body.get("topic"),
                settings=body.get("settings", {}),
                start_time=body.get("start_time"),
                duration=body.get("duration"),
                type=body.get("type"),
            )
            return self._answer(201, zoom.meetings[meeting_id])
        match = re.fullmatch(
            r"/(meetings|webinars)/(\d+)(/registrants(/status)?)?", path
        )
        report = re.fullmatch(r"/report/(meetings|webinars)/(\d+)/participants", path)
        if match:
            meeting_id = match.group(2)
            if meeting_id not in zoom.meetings:
                return self._not_found(meeting_id)
            if method == "GET" and not match.group(3):
                return self._answer(200, zoom.meetings[meeting_id])
            if method == "POST" and match.group(3) and not match.group(4):
                return self._add(meeting_id, body)
            if method == "PUT" and match.group(4):
                return self._status(meeting_id, body)
        if report and method == "GET":
            return self._report(report.group(2), query)
        return self._answer(404, {"code": 404, "message": "No such route."})

    def _add(self, meeting_id, body):
        zoom = self.zoom
        email = body.get("email", "")
        if not email or not body.get("first_name"):
            return self._answer(
                400, {"code": 300, "message": "Validation Failed.", "errors": []}
            )
        known = zoom.registrants[meeting_id].get(email.lower())
        if known is None or known["status"] != "approved":
            registrant_id = f"reg{next(zoom.ids)}"
            known = {
                "registrant_id": registrant_id,
                "email": email,
                "first_name": body.get("first_name"),
                "last_name": body.get("last_name", ""),
                "status": "approved",
                "join_url": f"https://zoom.example.test/w/{meeting_id}?tk={registrant_id}",
            }
            zoom.registrants[meeting_id][email.lower()] = known
        return self._answer(
            201,
            {
                "id": int(meeting_id),
                "registrant_id": known["registrant_id"],
                "join_url": known["join_url"],
                "topic": zoom.meetings[meeting_id]["topic"],
                "start_time": "2026-12-01T08:00:00Z",
            },
        )

    def _status(self, meeting_id, body):
        if body.get("action") not in ("approve", "cancel", "deny"):
            return self._answer(400, {"code": 300, "message": "Invalid action."})
        for wanted in body.get("registrants", []):
            for registrant in self.zoom.registrants[meeting_id].values():
                if registrant["registrant_id"] == wanted.get("id"):
                    registrant["status"] = "cancelled"
        return self._answer(204)

    def _report(self, meeting_id, query):
        zoom = self.zoom
        if meeting_id not in zoom.meetings:
            return self._not_found(meeting_id)
        rows = zoom.participants.get(meeting_id, [])
        size = min(int(query.get("page_size", 30)), 300)
        start = int(query.get("next_page_token") or 0)
        page = rows[start : start + size]
        more = start + size < len(rows)
        return self._answer(
            200,
            {
                "page_count": (len(rows) + size - 1) // size,
                "page_size": size,
                "total_records": len(rows),
                "next_page_token": str(start + size) if more else "",
                "participants": page,
            },
        )

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")


def start() -> tuple[FakeZoom, ThreadingHTTPServer]:
    """A running fake on 127.0.0.1 (a free port); stop it with ``shutdown()``."""
    zoom = FakeZoom()
    handler = type("Handler", (_Handler,), {"zoom": zoom})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    zoom.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return zoom, server
