"""Views that serve an organiser a download of an event's data, and log it.

Such downloads are GET links on several pages (the dashboard's exports, the
registrations list, the inputs list, a survey's results). Each view builds
its file, records it with ``services.exports.log_export`` and commits, like
any other write. A GET request otherwise declares that it only reads, and on
SQLite its first query (``login_required`` loading the user) would open a
read transaction that must later upgrade its lock to write, which fails at
once under contention; ``logged_download`` declares the write first.

The views commit with ``commit_keeping_loaded`` and write the file from what
they read: an object expired by the commit would be read back in a new
transaction, which on SQLite would hold the write lock while the file is
written.
"""

from __future__ import annotations

from functools import wraps

from flask_login import current_user

from consult.database import commit_keeping_loaded, set_write_intent
from consult.extensions import db
from consult.timeutil import now_utc


def logged_download(view):
    """Mark a GET view as writing its export log entry; place it above
    ``login_required`` so the declaration precedes the first query."""

    @wraps(view)
    def writing_view(*args, **kwargs):
        set_write_intent(True)
        return view(*args, **kwargs)

    return writing_view


def record_download(event, *, kind: str, fmt: str, rows: int) -> None:
    """Log the signed-in organiser's download of ``rows`` rows, and commit.

    Commits keeping what the view has loaded (see the module docstring).
    """
    # Imported here: the dashboard's services import the areas whose views
    # call this.
    from consult.dashboard.services.exports import log_export

    log_export(event, current_user, kind=kind, fmt=fmt, rows=rows, now=now_utc())
    commit_keeping_loaded(db.session)
