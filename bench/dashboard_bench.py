"""Dashboard, report and exports at growing sizes: time and query count per request.

Requests go through the Flask test client in one process (routing, access
check, services, template rendering or file building: everything gunicorn
would run), signed in as the demo event's organiser. The time is the median of
REPEAT requests after a warm-up; the query count is exact. No ceiling exists
for a dashboard, so the figure is how time and queries grow with the data
(constant queries, time well under linear) and the 1 s target at 50,000.
"""

from __future__ import annotations

import time

import dataset
from common import QueryCounter, make_app, median_time
from sqlalchemy import select

PAGES = {
    "dashboard": "/manage/events/{slug}/dashboard",
    "report": "/manage/events/{slug}/report",
    "export_registrants_csv": "/manage/events/{slug}/export/registrants.csv",
    "export_workbook_xlsx": "/manage/events/{slug}/export.xlsx",
}
# Exports at the largest size take seconds: fewer repeats.
SLOW = {"export_workbook_xlsx", "export_registrants_csv"}


def run(url: str, mode: dict) -> dict:
    from consult.demo import DEMO_SLUG
    from consult.events.models import Event
    from consult.extensions import db

    app = make_app(url)
    figures = {}
    with app.app_context():
        engine = db.engine
        organiser = db.session.scalar(
            select(Event).where(Event.slug == DEMO_SLUG)
        ).owner
        session_id = organiser.get_id()
        db.session.remove()
    # Requests run outside any app context of ours: each gets its own session,
    # as under gunicorn (an outer context would share its identity map).
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    for size in mode["sizes"]:
        with app.app_context():
            event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
            rows = dataset.grow(event, size)
            db.session.remove()
        print(f"   {size}: {rows}", flush=True)
        figures[str(size)] = {"rows": rows, "pages": {}}
        for name, pattern in PAGES.items():
            path = pattern.format(slug=DEMO_SLUG)
            repeat = 1 if (name in SLOW and size >= 10000) else mode["repeat"]
            response = client.get(path)  # warm-up (and check it works)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            with QueryCounter(engine) as counter:
                client.get(path)
            cpu = time.process_time()
            seconds, response = median_time(lambda p=path: client.get(p), repeat)
            cpu = (time.process_time() - cpu) / repeat
            figures[str(size)]["pages"][name] = {
                "seconds": round(seconds, 3),
                "app_cpu_s": round(cpu, 3),
                "queries": counter.count,
                "bytes": len(response.data),
            }
            print(f"   {size} {name}: {seconds:.3f} s (cpu {cpu:.3f} s), "
                  f"{counter.count} queries", flush=True)  # fmt: skip
    engine.dispose()
    sizes = [str(s) for s in mode["sizes"]]
    first, last = figures[sizes[0]]["pages"], figures[sizes[-1]]["pages"]
    figures["constant_queries"] = {
        name: first[name]["queries"] == last[name]["queries"] for name in PAGES
    }
    return figures
