"""Consult as the benchmark serves it: `gunicorn --chdir bench consult_app:app`.

The production application with two settings changed, and only these:
CSRF protection is off (wrk sends plain form POSTs without first fetching a
form for its token) and rate limits are off (every request comes from
127.0.0.1, so the per-address registration limit would refuse the surge after
20 requests). Both are cheap per request: a signed-token comparison and an
in-memory counter.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consult import create_app  # noqa: E402

app = create_app(
    "development",
    {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": None},
)
