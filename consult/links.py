"""Absolute links for what leaves the site: emails, calendar files, feeds.

Every absolute link is built here, by ``external_url``, from settings alone:
``SERVER_NAME``, ``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``. A link
built while answering a request (whatever its Host, scheme or SCRIPT_NAME)
is then the same as one built by a scheduler job, which has no request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def can_build_external_urls() -> bool:
    """Outside a request there is no host to fall back on without SERVER_NAME."""
    return bool(current_app.config.get("SERVER_NAME")) or has_request_context()


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of a full endpoint name ("events.detail"), from settings.

    Not ``url_for(..., _external=True)``: inside a request that takes the
    request's scheme (plain http behind a TLS-terminating proxy) and its
    script root, so the same link would differ between a page and a job.
    Without SERVER_NAME (development only; production refuses to start) the
    request's host is the only one known, and a job cannot build links.
    """
    config = current_app.config
    scheme = config["PREFERRED_URL_SCHEME"]
    server_name = config.get("SERVER_NAME")
    if not server_name:
        if not has_request_context():
            raise RuntimeError(
                "SERVER_NAME must be set to build absolute links outside a request"
            )
        return url_for(endpoint, _external=True, _scheme=scheme, **values)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        server_name,
        script_name=config.get("APPLICATION_ROOT") or "/",
        url_scheme=scheme,
    )
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """The target if it is a path on this site, else None (no open redirect):
    for "go back to where you were" links (after login, after choosing a
    language)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
