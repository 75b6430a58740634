"""Read what a route committed, not what it merely flushed.

A test-client request reuses the test's application context, and with it the
test's database session: whatever a route flushed but never committed stays
visible to the test, although a real server throws it away at the end of the
request. `committed()` rolls the test's session back first, so the reads that
follow see only what the route committed (what the next request would see).
"""

from __future__ import annotations

from consult.extensions import db


def committed():
    """Forget the session's uncommitted state; return the session for reads."""
    db.session.rollback()
    return db.session


def committed_row(model, row_id):
    """The row as committed (None if it was never committed or is gone)."""
    return committed().get(model, row_id)
