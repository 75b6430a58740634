"""Absolute links for what leaves the site: emails, calendar files."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def can_build_external_urls() -> bool:
    """Outside a request Flask needs SERVER_NAME to know the host."""
    return bool(current_app.config.get("SERVER_NAME")) or has_request_context()


def external_url(endpoint: str, **values) -> str:
    """An absolute URL from SERVER_NAME and PREFERRED_URL_SCHEME.

    The same link whether built in a request or by a scheduler job: with
    SERVER_NAME set (required in production) Flask ignores the request's Host
    header, and the scheme is the configured one, not the request's (which is
    plain http behind a TLS-terminating proxy).
    """
    return url_for(
        endpoint,
        _external=True,
        _scheme=current_app.config["PREFERRED_URL_SCHEME"],
        **values,
    )
