"""Download views of exports: declare the write, record the download, commit.

Shared by every area's export routes (registrations, inputs, survey results,
the dashboard); a routes-layer helper, as it reads the signed-in user and
commits the view's write.
"""

from __future__ import annotations

from functools import wraps

from flask_login import current_user

from consult.database import commit_keeping_loaded, set_write_intent
from consult.export_log import log_export
from consult.extensions import db
from consult.timeutil import now_utc

# The views that serve a download are GET links. Each builds its file, records
# it with ``record_download`` and commits, like any other write. A GET request
# otherwise declares that it only reads, and on SQLite its first query
# (``login_required`` loading the user) would open a read transaction that
# must later upgrade its lock to write, which fails at once under contention;
# ``logged_download`` declares the write first.
#
# The views commit with ``commit_keeping_loaded`` and write the file from what
# they read: an object expired by the commit would be read back in a new
# transaction, which on SQLite would hold the write lock while the file is
# written.


def logged_download(view):
    """Mark a GET view as writing its export log entry; place it above
    ``login_required`` so the declaration precedes the first query."""

    @wraps(view)
    def writing_view(*args, **kwargs):
        set_write_intent(True)
        return view(*args, **kwargs)

    return writing_view


def record_download(event, *, kind: str, fmt: str, rows: int) -> None:
    """Log the signed-in organiser's download of ``rows`` rows, and commit,
    keeping what the view has loaded (see above)."""
    log_export(event, current_user, kind=kind, fmt=fmt, rows=rows, now=now_utc())
    commit_keeping_loaded(db.session)
