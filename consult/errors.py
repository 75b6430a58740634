"""Domain errors raised by services, and the app-wide error pages."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from consult.extensions import db


class DomainError(Exception):
    """A business rule refused the operation. Routes turn it into a message."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # Every (field, message) refused: one, unless a service collected more.
        self.problems: list[tuple[str | None, str]] = [(field, message)]


class ValidationFailed(DomainError):
    """Input breaks a rule; ``field`` names the form field it belongs to.

    A service that checks several fields raises one with every problem it
    found (``Problems``), so one submit reports them all; ``message`` and
    ``field`` are the first.
    """

    status_code = 422

    @classmethod
    def of(cls, problems: list[tuple[str | None, str]]) -> ValidationFailed:
        """One refusal carrying several (field, message) problems, in order."""
        field, message = problems[0]
        exc = cls(message, field)
        exc.problems = list(problems)
        return exc


class Problems:
    """Collects a service's refusals, so that one call reports every problem.

    ``take(check, ...)`` runs a check that raises ValidationFailed and returns
    its value, or None after noting its problems; ``add`` notes one directly;
    ``raise_any()`` raises them together. A rule that needs a value another
    check refused asks ``has(field)`` or tests for None and skips.
    """

    def __init__(self) -> None:
        self.found: list[tuple[str | None, str]] = []

    def take(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationFailed as exc:
            self.found.extend(exc.problems)
            return None

    def add(self, message: str, field: str | None = None) -> None:
        self.found.append((field, message))

    def has(self, field: str) -> bool:
        return any(name == field for name, _message in self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationFailed.of(self.found)


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


def wants_json() -> bool:
    """True when the client prefers JSON over HTML (API calls, fetch())."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and (
        request.accept_mimetypes["application/json"]
        > request.accept_mimetypes["text/html"]
    )


# Lazy, so pybabel extracts them and each response gets its own language.
ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Upload too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}


def _error_response(status: int, message: str):
    if wants_json():
        title = ERROR_TITLES.get(status)
        body = jsonify({"error": str(title) if title else "Error", "message": message})
    else:
        body = render_template(
            "errors/error.html",
            status=status,
            title=ERROR_TITLES.get(status) or _("Error"),
            message=message,
        )
    return make_response(body, status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {
            400: _(
                "The request could not be understood. Please go back and try again."
            ),
            403: _("You do not have access to this page."),
            404: _("We could not find that page. It may have moved or never existed."),
            405: _("This address does not accept that kind of request."),
            413: _("What you sent is larger than we accept."),
            429: _("Too many attempts. Please wait a little and try again."),
        }
        message = messages.get(exc.code or 500, exc.description or "")
        if exc.code == 400 and exc.description and "CSRF" in exc.description:
            message = _(
                "Your form expired or was sent from another site. "
                "Please reload the page and submit it again."
            )
        response = _error_response(exc.code or 500, message)
        if exc.code == 429 and getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        return _error_response(exc.status_code, exc.message)

    @app.errorhandler(500)
    def _server_error(exc):
        db.session.rollback()
        return _error_response(
            500,
            _("An unexpected error occurred. It has been logged; please try again."),
        )
