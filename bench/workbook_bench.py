"""The full workbook at 50,000 registrations: CPU, wall and SQL seconds per build.

The workbook as the export job builds it (``export_files.build_workbook``:
registrants, inputs, priorities and every exportable survey), in process on
the demo grown by ``dataset.grow``, built REPEAT times after a warm-up; each
figure is the median of its runs. The figure that counts is the CPU of this
process (``time.process_time``): other processes loading the machine slow
the wall clock but not it. SQL seconds are the wall time spent in the
driver's ``execute`` (the database's work plus the driver's decoding).

Part of ``make bench`` (``bench/run.py --only workbook``), or on its own:

    .venv/bin/python bench/workbook_bench.py --pg postgresql://postgres@127.0.0.1:5432/consult_wb
    .venv/bin/python bench/workbook_bench.py --pg ... --reuse   # the data grown before

``--fingerprint`` also reads every built file back and prints a digest of its
values and number formats: two builds of the same data give the same digest
whatever writes them.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from common import ROOT, cpu_wall_median, make_app, write_results  # noqa: E402
from sqlalchemy import select  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/consult_workbook_bench"


def run(url: str, mode: dict) -> dict:
    """Grow the demo to the mode's largest size (once) and time the workbook there."""
    from consult.dashboard.services.export_files import build_workbook
    from consult.demo import DEMO_SLUG
    from consult.events.models import Event
    from consult.extensions import db
    from consult.timeutil import now_utc

    size = mode["sizes"][-1]
    app = make_app(url)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
        rows = dataset.grow(event, size)
        event_id = event.id
        db.session.remove()
        print(f"   {size}: {rows}", flush=True)

        def build():
            event = db.session.get(Event, event_id)
            built = build_workbook(event, now=now_utc(), progress=_quiet)
            db.session.rollback()  # as the job does: nothing kept between builds
            return built

        warm = build()  # imports, translations, the planner's caches
        figures = cpu_wall_median(build, mode.get("workbook_repeat", 3), db.engine)
        built = figures.pop("result")
        db.session.remove()
        db.engine.dispose()
    figures.update(
        registrations=size,
        rows=rows,
        sheet_rows=built.rows,
        bytes=len(built.data),
        same_bytes_each_build=len(warm.data) == len(built.data),
        lxml=_lxml(),
    )
    if mode.get("save"):
        Path(mode["save"]).write_bytes(built.data)
    if mode.get("fingerprint"):
        figures["fingerprint"] = fingerprint(built.data)
    print(f"   workbook at {size:,}: {figures['cpu_s']:.2f} s CPU, "
          f"{figures['wall_s']:.2f} s wall, {figures['sql_s']:.2f} s in SQL, "
          f"{figures['queries']} queries, {len(built.data):,} bytes", flush=True)  # fmt: skip
    return figures


def _quiet(percent: int, step: str) -> None:
    """The job reports progress to its row; the bench has none to report to."""


def _lxml() -> bool:
    from openpyxl.xml import LXML

    return bool(LXML)


def fingerprint(data: bytes) -> dict:
    """Per sheet: its rows and digests of their values and number formats.

    "ordered" follows the rows' order; "as_set" does not (an anonymous
    survey's rows are shuffled at every build, so only it compares there).
    """
    from openpyxl import load_workbook

    sheets = {}
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for sheet in workbook.worksheets:
        rows = [
            repr([(c.value, c.number_format) for c in row if c.value is not None])
            for row in sheet.iter_rows()
        ]
        sheets[sheet.title] = {
            "rows": len(rows),
            "ordered": _digest(rows),
            "as_set": _digest(sorted(rows)),
        }
    workbook.close()
    return sheets


def _digest(rows: list[str]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row.encode() + b"\n")
    return digest.hexdigest()[:16]


def markdown(figures: dict, heading: str = "###") -> list[str]:
    """The workbook's lines for a bench report."""
    f = figures
    rows = ", ".join(f"{k} {v:,}" for k, v in f["rows"].items())
    runs = ", ".join(f"{run['cpu_s']:.2f}" for run in f["runs"])
    lines = [
        f"{heading} Full workbook at {f['registrations']:,} registrations",
        "",
        "| build (median of runs) | CPU s | wall s | SQL s | queries | bytes |",
        "|---|---:|---:|---:|---:|---:|",
        f"| export_files.build_workbook (lxml {'on' if f['lxml'] else 'off'}) "
        f"| {f['cpu_s']:.2f} | {f['wall_s']:.2f} | {f['sql_s']:.2f} "
        f"| {f['queries']} | {f['bytes']:,} |",
        "",
        f"Runs: {runs} s CPU. Data: {rows}; {f['sheet_rows']:,} rows in the file.",
    ]
    if "fingerprint" in f:
        lines.append("Content digests (values and number formats): " + "; ".join(
            f"{title} {d['rows']:,} rows `{d['ordered']}` (as a set `{d['as_set']}`)"
            for title, d in f["fingerprint"].items()
        ) + ".")  # fmt: skip
    if "target_cpu_s" in f:
        ok = f["cpu_s"] <= f["target_cpu_s"]
        lines.append(
            f"Target: at most {f['target_cpu_s']:.1f} s CPU (a third of "
            f"{f['before_cpu_s']:.1f} s before issue 22): "
            f"{'yes' if ok else '**no**'}."
        )
    return [*lines, ""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL (or SQLite) URL")
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true",
        help="keep the database if it already holds the demo (else it is recreated)",
    )  # fmt: skip
    parser.add_argument("--fingerprint", action="store_true")
    parser.add_argument("--save", help="also write the last built file here")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)
    import run as bench_run

    started = datetime.now(UTC)
    mode = {"sizes": [args.size], "workbook_repeat": args.repeat,
            "capacity": 300, "fingerprint": args.fingerprint, "save": args.save}  # fmt: skip
    if not (args.reuse and _has_demo(args.pg)):
        print("== preparing (the demo, seeded)", flush=True)
        bench_run.prepare(args.pg, mode)
    results = {
        "started": started.isoformat(timespec="seconds"),
        "environment": bench_run.environment(),
        "workbook": run(args.pg, mode),
    }
    target = bench_run.TARGETS["workbook_50k"]
    shown = dict(results["workbook"])
    if args.size >= 50000 and target["before_cpu_s"]:
        shown.update(target_cpu_s=target["cpu_s"], before_cpu_s=target["before_cpu_s"])
    body = markdown(shown, "##")
    write_results(args.out, "workbook", "Workbook benchmark", results, body)
    return 0


def _has_demo(url: str) -> bool:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from consult.demo import DEMO_SLUG
    from consult.events.models import Event
    from consult.extensions import db

    app = make_app(url)
    try:
        with app.app_context():
            found = db.session.scalar(select(Event.id).where(Event.slug == DEMO_SLUG))
            db.engine.dispose()
            return found is not None
    except (OperationalError, ProgrammingError):
        return False


if __name__ == "__main__":
    sys.exit(main())
