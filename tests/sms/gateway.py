"""A local stand-in for Twilio's Messages resource, for the SMS adapter's tests.

It checks nothing itself: it records each request (path, headers, form
fields) and answers with the next planned response, by default Twilio's
documented 201 body for a created message. ``hold_at``: the n-th request is
recorded, then its answer is held back until ``release()``, as a gateway that
took a message and had not yet answered when the sender died.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "test-auth-token"
PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


def created(fields: dict[str, str], number: int) -> tuple[int, dict]:
    """Twilio's answer to a created message (the Message resource, abridged)."""
    sid = f"SM{number:032x}"
    return 201, {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": fields.get("Body", ""),
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": fields.get("From"),
        "messaging_service_sid": fields.get("MessagingServiceSid"),
        "num_segments": "1",
        "sid": sid,
        "status": "accepted" if "MessagingServiceSid" in fields else "queued",
        "to": fields.get("To"),
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
    }


def error(status: int, code: int, message: str) -> tuple[int, dict]:
    """Twilio's documented error body."""
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    fields: dict[str, list[str]]


@dataclass
class Gateway:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    planned: list[tuple[int, dict] | str] = field(default_factory=list)
    hold_at: int | None = None
    holding: bool = False
    delay: float = 0.0
    _release: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def release(self) -> None:
        self._release.set()

    def numbers(self) -> list[str]:
        return [r.fields["To"][0] for r in self.received]


def start_gateway() -> Gateway:
    gateway: Gateway

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("ascii")
            fields = urllib.parse.parse_qs(raw, keep_blank_values=True)
            gateway.received.append(
                Received("POST", self.path, dict(self.headers.items()), fields)
            )
            number = len(gateway.received)
            if gateway.hold_at == number:
                gateway.holding = True
                gateway._release.wait(60)
                gateway.holding = False
            if gateway.delay:
                time.sleep(gateway.delay)
            plan = gateway.planned.pop(0) if gateway.planned else None
            status, body = plan or created({k: v[0] for k, v in fields.items()}, number)
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the sender is gone

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gateway = Gateway(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return gateway
