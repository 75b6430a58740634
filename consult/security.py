"""Response headers applied to every response.

Pages that show personal data are never kept by a browser or shared cache
(``Cache-Control: no-store``), decided here once for the whole app:

- anything under ``/manage/`` (organiser pages, exports, downloads) or
  ``/facilitate/`` (a facilitator's people), signed in or not (a redirect to the login page stays uncached too);
- any page reached through a bearer link (a ``<token>`` in the URL:
  registrants' and proposers' manage pages, survey links, calendar feeds,
  password resets, "download my data");
- every page for a signed-in user (their name is on it, and what they see
  depends on their rights);
- every answer to a form (POST and the like), which may echo what was typed.

Anonymous public pages (an event's page, its calendar file, the library)
keep their caching, and the anonymous page cache (consult.page_cache) is not
touched: it stores pages before this hook runs and only for anonymous GETs.
Static files are left alone.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from flask import Flask, Response, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

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


PERSONAL_PREFIXES = ("/manage/", "/facilitate/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def holds_personal_data() -> bool:
    """Whether the current request's response may show someone's personal data."""
    if request.endpoint == "static":
        return False
    if (
        request.path.startswith(PERSONAL_PREFIXES)
        or "token" in (request.view_args or {})
        or request.method not in SAFE_METHODS
    ):
        return True
    try:
        return current_user.is_authenticated
    except SQLAlchemyError:
        # The user could not be loaded (an error page while the database is
        # down): whoever they are, nothing keeps this response.
        return True


def forbid_storing(response: Response) -> None:
    """``Cache-Control: no-store``, unless the response already says no-store."""
    if "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Expires", None)


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
        if holds_personal_data():
            forbid_storing(response)
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
