"""Which accounts reach the organiser pages, for every area's routes.

Experts, reviewers and other accounts sign in too; the organiser pages
(events, the library's editing, the dashboards) are for organiser and admin
accounts only. Who may manage one event is ``consult.events.access``.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user


def require_organiser_account() -> None:
    """Experts and other accounts cannot reach the organiser pages."""
    if not current_user.can_organise:
        abort(403)
