"""Response headers applied to every response."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from flask import Flask

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class _StyleCollector(HTMLParser):
    """The values of every style="" attribute, as the browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.values.extend(value for name, value in attrs if name == "style" and value)

    handle_startendtag = handle_starttag


def policy_allowing_styles_of(html: str) -> str:
    """The site's policy, plus exactly the inline style attributes found in html.

    For a page that embeds an email's HTML (which needs inline styles) in a
    sandboxed srcdoc frame: the frame inherits this policy, and 'unsafe-hashes'
    with one hash per attribute value allows those styles and no other.
    """
    collector = _StyleCollector()
    collector.feed(html)
    collector.close()
    hashes = sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()
            + "'"
            for value in collector.values
        }
    )
    if not hashes:
        return CONTENT_SECURITY_POLICY
    styles = " ".join(["style-src 'self'", "'unsafe-hashes'", *hashes])
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'", styles)


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
