"""Every API error as an RFC 9457 problem detail (application/problem+json)."""

from __future__ import annotations

import http

from flask import g, jsonify, make_response
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consult.api.schemas import Problem
from consult.errors import ERROR_TITLES, DomainError
from consult.extensions import db

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, errors: dict | None = None, headers=None):
    """A problem-detail response; the transaction is undone first."""
    db.session.rollback()
    title = ERROR_TITLES.get(status) or http.HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = make_response(jsonify(body), status)
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


DETAILS = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Send a valid API token: Authorization: Bearer <token>."),
    403: lambda: _("This token's scopes do not allow this request."),
    404: lambda: _("Not found, or not yours to see."),
    405: lambda: _("This address does not accept that kind of request."),
    413: lambda: _("What you sent is larger than we accept."),
    415: lambda: _("Send the request body as application/json."),
    429: lambda: _("Too many requests with this token. Wait a little."),
}


def _flatten(messages) -> dict[str, list[str]]:
    """webargs' {location: {field: [message]}} as {field: [message]}."""
    errors: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                name = str(key) if not prefix else f"{prefix}.{key}"
                walk(name, inner)
        elif isinstance(value, list) and all(isinstance(m, str) for m in value):
            errors.setdefault(prefix or "_", []).extend(value)
        else:
            errors.setdefault(prefix or "_", []).append(str(value))

    for location_messages in (messages or {}).values():
        walk("", location_messages)
    return errors


def http_problem(exc: HTTPException):
    code = exc.code or 500
    if code == 304:  # flask-smorest's If-None-Match match
        response = make_response("", 304)
        etag = getattr(g, "api_etag", None)
        if etag:
            response.set_etag(etag)
        return response
    headers = {}
    data = getattr(exc, "data", None) or {}
    if code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if code == 429 and getattr(exc, "retry_after", None):
        headers["Retry-After"] = str(exc.retry_after)
    if code == 422:
        return problem(
            422,
            _("The request has invalid values; see errors."),
            _flatten(data.get("messages")),
        )
    detail = data.get("message") or (DETAILS[code]() if code in DETAILS else "")
    return problem(code, detail, headers=headers)


def domain_problem(exc: DomainError):
    errors = None
    if exc.status_code == 422:
        errors = {}
        for field, message in exc.problems:
            errors.setdefault(field or "_", []).append(message)
    return problem(exc.status_code, exc.message, errors)


def server_problem(exc):
    return problem(500, _("An unexpected error occurred. It has been logged."))


def install(blueprint) -> None:
    """The API blueprint's error handlers (the site's pages keep theirs)."""
    blueprint.register_error_handler(HTTPException, http_problem)
    blueprint.register_error_handler(DomainError, domain_problem)
    blueprint.register_error_handler(500, server_problem)


__all__ = ["Problem", "install", "problem"]
