"""A request body over MAX_CONTENT_LENGTH on an upload form: say so, store nothing.

Werkzeug refuses such a body before any view runs (CSRF protection reads the
form first), so the form cannot be shown again with what was typed: the answer
stays a 413, with the reason and a link back to the form. Files under that cap but over
CONTRIBUTION_MAX_FILE_MB get their message next to the field instead.
"""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from consult.contributions import bp
from consult.contributions.services.files import DEFAULT_MAX_MB

# Upload endpoint -> the page that holds its form.
FORM_PAGES = {
    "contributions.submit": "contributions.call",
    "contributions.edit": "contributions.proposal",
}


def _limit_mb() -> float:
    """The smaller of the file limit and the request cap, in MB."""
    file_mb = float(current_app.config.get("CONTRIBUTION_MAX_FILE_MB", DEFAULT_MAX_MB))
    cap = current_app.config.get("MAX_CONTENT_LENGTH")
    if cap:
        file_mb = min(file_mb, cap / (1024 * 1024))
    return round(file_mb, 1)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    page = FORM_PAGES.get(request.endpoint or "")
    if page is None:
        return exc
    page_url = url_for(page, **(request.view_args or {}))
    body = render_template(
        "contributions/too_large.html",
        limit=f"{_limit_mb():g}",
        back_url=page_url,
    )
    return body, 413
