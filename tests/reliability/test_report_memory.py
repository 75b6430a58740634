"""Reports asked for through real gunicorn workers leave the workers' memory as it was.

Printing the report in a web worker grew its memory past 230 MB. Now the
scheduler prints it: a worker only queues the job, shows its progress and
streams the kept file from the database a chunk at a time. Measured as the
workers' resident memory (``VmRSS`` in ``/proc``) after a warm-up (imports,
templates, connection pools) and after many more requests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.dashboard.jobs import prepare_exports_job
from consult.dashboard.models import ExportJob
from consult.extensions import db
from consult.timeutil import now_utc
from tests.dashboard.conftest import dash_event, require_pdf  # noqa: F401

from .conftest import Browser

# Growth allowed per worker: allocator noise, and the first HTML report of a
# worker that the warm-up did not reach (gunicorn's workers race for each
# connection, so one can sit out every warm-up request: +11.6 MB seen in CI).
# Printing a report in a worker costs tens of megabytes each time, and
# WeasyPrint's first import more.
GROWTH_MB = 20
ROUNDS = 24


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def _memory(web) -> dict[int, float]:
    return {pid: _rss_mb(pid) for pid in web.worker_pids()}


def _ask_and_download(browser: Browser, base: str) -> None:
    """The report's usual link: the kept PDF, streamed (bytes, not text)."""
    with browser.opener.open(
        browser.base + base + "/report.pdf?lang=en", timeout=browser.timeout
    ) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF")


def _round(browser: Browser, base: str, status_path: str) -> None:
    _ask_and_download(browser, base)
    assert browser.get(status_path).status == 200
    page = browser.get(base + "/report")  # the HTML report, as organisers read it
    assert page.status == 200


@pytest.mark.slow
def test_report_requests_do_not_grow_a_web_workers_memory(
    web,
    dash_event,  # noqa: F811
    organiser,
):
    require_pdf()
    email, base = organiser.email, f"/manage/events/{dash_event.slug}"
    db.session.rollback()  # on SQLite the workers need the write lock
    browser = Browser(web.base, timeout=60)
    browser.log_in(email)
    token = browser.csrf_token(base + "/report.pdf?lang=en")
    asked = browser.post(
        base + "/files/report_pdf", {"csrf_token": token, "lang": "en"}
    )
    assert asked.status == 200 and "/files/" in asked.url
    status_path = asked.url.removeprefix(web.base) + "/status"

    # Workers answer in turn: enough requests warm every one of them.
    for _ in range(8):
        assert browser.get(status_path).status == 200
        assert "Prepare the file" not in browser.get(base + "/report.pdf").body
    prepare_exports_job(now=now_utc())  # the scheduler's turn, here
    db.session.rollback()
    assert db.session.scalars(select(ExportJob.status)).all() == ["done"]
    db.session.rollback()
    for _ in range(24):
        _round(browser, base, status_path)
    before = _memory(web)
    for _ in range(ROUNDS):
        _round(browser, base, status_path)
    after = _memory(web)

    assert set(after) == set(before), "a worker was replaced meanwhile"
    growth = {pid: after[pid] - before[pid] for pid in before}
    assert max(growth.values()) < GROWTH_MB, (before, after, web.log()[-2000:])
    db.session.rollback()
    # Still one file: the downloads were served from it, none was made again.
    assert len(db.session.scalars(select(ExportJob)).all()) == 1
