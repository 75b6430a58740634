"""Where a webhook may go: HTTPS to a public address, never inside our network.

A subscription's URL is checked when it is saved and again at every delivery,
on the addresses its host resolves to then (a name may resolve elsewhere
later). The request is sent to the address that was checked, never to a
second resolution of the name, and redirects are not followed, so a receiver
cannot steer a delivery to a private or loopback address (SSRF).

``WEBHOOK_ALLOW_HTTP_LOCALHOST`` (development and tests only) allows plain
HTTP and loopback addresses for the hosts ``localhost``, ``127.0.0.1`` and
``::1``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.webhooks.models import URL_MAX

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class RefusedTarget(Exception):
    """The URL may not be called (its scheme or its address)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


def parse_url(url: str, *, allow_local: bool) -> Target:
    """The parts of a receiver URL; RefusedTarget for one we never call."""
    url = (url or "").strip()
    if not url or len(url) > URL_MAX or any(ord(ch) < 33 for ch in url):
        raise RefusedTarget(_("Enter a complete address starting with https://."))
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = allow_local and host in LOCAL_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise RefusedTarget(_("The address must start with https://."))
    if not host or parts.username or parts.password or parts.fragment:
        raise RefusedTarget(
            _("Enter an address with a host name, without a user name or #part.")
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedTarget(_("The address has an invalid port.")) from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path)


def allowed_address(address: str, *, allow_local: bool) -> bool:
    """Whether an IP address is one a webhook may reach."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if allow_local and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def resolve(target: Target, *, allow_local: bool) -> str:
    """The address to connect to: every address of the host must be allowed."""
    if allow_local is True and target.host not in LOCAL_HOSTS:
        allow_local = False
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RefusedTarget(_("The host name does not resolve.")) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(
        allowed_address(a, allow_local=allow_local) for a in addresses
    ):
        raise RefusedTarget(
            _("The address is private, local or reserved: webhooks cannot go there.")
        )
    return addresses[0]


def check_url(url: str, *, allow_local: bool) -> str:
    """The cleaned URL, or ValidationFailed on the ``url`` field."""
    try:
        target = parse_url(url, allow_local=allow_local)
        resolve(target, allow_local=allow_local)
    except RefusedTarget as exc:
        raise ValidationFailed(str(exc), "url") from exc
    return url.strip()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, as usual.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def connection_to(
    target: Target, address: str, *, timeout: float
) -> http.client.HTTPConnection:
    """A connection to ``address`` that speaks to the target's host name."""
    if target.scheme == "https":
        context = ssl.create_default_context()
        return _PinnedHTTPSConnection(
            address, target.host, target.port, timeout=timeout, context=context
        )
    return _PinnedHTTPConnection(address, target.host, target.port, timeout=timeout)
