"""A registration's own cost, in process: CPU time and SQL statements per request.

    .venv/bin/python bench/registration_cpu.py --db sqlite:////tmp/reg.db
    .venv/bin/python bench/registration_cpu.py --db postgresql://postgres@127.0.0.1:5432/consult_bench

Posts the benchmark's registration form through Flask's test client (routing,
form, services, commit, thank-you page; no gunicorn, no load generator), first
while seats are free, then once the event is full (the waiting list), and
prints the median CPU milliseconds and the statements of each. The database is
recreated. ``--profile`` writes a pyinstrument profile of the waiting-list
phase when pyinstrument is installed (not a project requirement).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, QueryCounter, make_app  # noqa: E402

TYPES = ("research", "civil_society", "informal")


def _form(n: int) -> dict:
    return {
        "full_name": f"Surge Participant {n}",
        "email": f"cpu-{n}@example.org",
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "type_key": TYPES[n % len(TYPES)],
        "role": "attendee",
        "consent_privacy": "y",
        "organisation": "Bench Org",
        "city": "Petaling Jaya",
    }


def measure(url: str, *, seated: int, waiting: int, profile: str = "") -> dict:
    import dataset
    from run import prepare

    from consult.extensions import db

    # The benchmark's own database: the demo and the surge event, with seats
    # for the first phase only.
    prepare(url, {"capacity": seated + 5})
    app = make_app(url)
    client = app.test_client()
    path = f"/events/{dataset.SURGE_SLUG}/register"
    counter = QueryCounter(None)
    results = {}
    n = 0
    for phase, count in (("seat", seated), ("waiting_list", waiting)):
        cpu, statements = [], []
        profiler = None
        if phase == "waiting_list" and profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        for _ in range(count):
            n += 1
            with app.app_context():
                counter.engine = db.engine
                with counter:
                    start = time.process_time()
                    response = client.post(path, data=_form(n))
                    cpu.append(time.process_time() - start)
                statements.append(counter.count)
            if response.status_code != 200:
                raise SystemExit(f"registration {n} answered {response.status_code}")
        if profiler is not None:
            profiler.stop()
            Path(profile).write_text(profiler.output_text(unicode=False, color=False))
        # The first requests of a phase warm caches; the median ignores them.
        results[phase] = {
            "requests": count,
            "cpu_ms_median": round(statistics.median(cpu) * 1000, 2),
            "cpu_ms_mean": round(statistics.fmean(cpu[count // 5 :]) * 1000, 2),
            "statements_median": statistics.median(statements),
        }
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:///" + str(ROOT / "instance/cpu.db"))
    parser.add_argument("--seated", type=int, default=200)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--profile", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    figures = measure(
        args.db, seated=args.seated, waiting=args.waiting, profile=args.profile
    )
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
