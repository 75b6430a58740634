"""Bytes of each participant page of the demo, with everything it loads.

    .venv/bin/python bench/page_weight.py            # fresh SQLite demo, writes bench/results/
    .venv/bin/python bench/page_weight.py --no-write # print only

For the event page, the registration form, a registrant's manage page (a real
manage token), the challenges page, the pre-event survey and the priorities
page: fetch the HTML through the application and every stylesheet, script,
font, icon and image the HTML (and its stylesheets) reference, and count each
resource raw and gzip-compressed (level 6, what a reverse proxy's `gzip on`
with `gzip_comp_level 6` sends; Consult itself sends responses uncompressed,
see README "Deploying to production"). A resource several pages share is
counted in full for each page: a first visit on a slow phone loads it all.

The budget (issue 20): each page with its assets under 60 KB compressed. The
last line says "page weight: ok" or names the pages over it; the exit status
is 1 when one is over. tests/test_page_weight.py asserts the same budget on
the same pages (`participant_pages` and `weigh` are shared with it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

BUDGET_BYTES = 60 * 1024  # compressed, per page with its assets
GZIP_LEVEL = 6
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


class _References(HTMLParser):
    """The URLs a page makes the browser load: stylesheets, scripts, icons, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                self.urls.append(("css", a["href"]))
            elif "icon" in rel or "preload" in rel or "manifest" in rel:
                self.urls.append(("icon" if "icon" in rel else "preload", a["href"]))
        elif tag == "script" and a.get("src"):
            self.urls.append(("js", a["src"]))
        elif tag in ("img", "source", "input") and a.get("src"):
            self.urls.append(("image", a["src"]))
        elif tag in ("video", "audio") and a.get("poster"):
            self.urls.append(("image", a["poster"]))


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


@dataclass
class Resource:
    kind: str
    url: str
    status: int
    raw: int
    gzip: int


@dataclass
class Page:
    name: str
    url: str
    resources: list[Resource] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return sum(r.raw for r in self.resources)

    @property
    def gzip(self) -> int:
        return sum(r.gzip for r in self.resources)

    @property
    def over_budget(self) -> bool:
        return self.gzip > BUDGET_BYTES

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "url": _redacted(self.url),
            "raw": self.raw,
            "gzip": self.gzip,
            "over_budget": self.over_budget,
            "resources": [
                {**r.__dict__, "url": _redacted(r.url)} for r in self.resources
            ],
        }


def _redacted(url: str) -> str:
    """The URL with its personal token left out (records are committed)."""
    return re.sub(r"/(registration|surveys/\d+)/[^/?]+", r"/\1/<token>", url)


def _fetch(client, url: str) -> tuple[int, bytes, str]:
    response = client.get(url)
    data = response.get_data()
    status, mimetype = response.status_code, response.mimetype or ""
    response.close()
    return status, data, mimetype


def _same_site(base: str, url: str) -> str | None:
    """The path of a same-site URL (with its query), None for another host."""
    parts = urlsplit(urljoin(base, url))
    if parts.netloc and parts.netloc not in ("localhost", "127.0.0.1:5000"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def weigh(client, name: str, url: str) -> Page:
    """The page at url and everything it loads, fetched through the test client."""
    page = Page(name, url)
    status, html, _ = _fetch(client, url)
    page.resources.append(
        Resource("html", url, status, len(html), compressed_size(html))
    )
    parser = _References()
    parser.feed(html.decode("utf-8", "replace"))
    queue = list(parser.urls)
    seen = {url}
    while queue:
        kind, ref = queue.pop(0)
        if ref.startswith("data:"):
            continue
        path = _same_site(url, ref)
        if path is None:
            # Another host: it would be loaded too, and Consult promises none.
            page.resources.append(Resource(kind, ref, 0, 0, 0))
            continue
        if path in seen:
            continue
        seen.add(path)
        status, data, _ = _fetch(client, path)
        page.resources.append(
            Resource(kind, path, status, len(data), compressed_size(data))
        )
        if kind == "css":
            text = data.decode("utf-8", "replace")
            for found in CSS_IMPORT.findall(text):
                queue.append(("css", urljoin(path, found)))
            for found in CSS_URL.findall(text):
                if not found.startswith("data:") and not found.startswith("#"):
                    suffix = found.rsplit(".", 1)[-1].lower()
                    font = suffix in ("woff", "woff2", "ttf", "otf", "eot")
                    queue.append(("font" if font else "image", urljoin(path, found)))
    return page


def participant_pages(now: datetime) -> list[tuple[str, str]]:
    """(name, URL) of each participant page of the demo (the app context is open).

    The manage, priorities and survey pages are those of a confirmed registrant
    who has not answered the pre-event survey yet, so the survey's form shows.
    """
    from flask import url_for
    from sqlalchemy import select

    from consult.demo import DEMO_SLUG
    from consult.events.models import Event
    from consult.extensions import db
    from consult.registration.models import Registration
    from consult.registration.services.tokens import manage_token
    from consult.surveys.models import Survey
    from consult.surveys.services.answering import registrant_state
    from consult.surveys.services.audience import in_audience
    from consult.surveys.services.tokens import survey_token

    event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    surveys = db.session.scalars(
        select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)
    ).all()
    survey = next(s for s in surveys if s.state(now) == "open")
    registration = next(
        r
        for r in db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == "confirmed",
            )
            .order_by(Registration.id)
        )
        if in_audience(survey, r)
        and registrant_state(survey, r).status == "not_started"
    )
    token = manage_token(registration)
    slug = event.slug
    return [
        ("event", url_for("events.detail", slug=slug)),
        ("registration", url_for("registration.register", slug=slug)),
        ("manage", url_for("registration.manage", slug=slug, token=token)),
        ("challenges", url_for("challenges.public", slug=slug)),
        (
            "survey",
            url_for(
                "surveys.answer",
                slug=slug,
                survey_id=survey.id,
                token=survey_token(survey, registration),
            ),
        ),
        ("priorities", url_for("challenges.priorities", slug=slug, token=token)),
    ]


def measure(app, now: datetime) -> list[Page]:
    with app.test_request_context():
        pages = participant_pages(now)
    client = app.test_client()
    return [weigh(client, name, url) for name, url in pages]


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def summary(pages: list[Page], heading: str = "#") -> list[str]:
    """The per-page table (also part of `make bench`'s table)."""
    lines = [
        f"{heading} Participant page weight",
        "",
        f"Each page with everything it loads, raw and gzip -{GZIP_LEVEL}; "
        f"budget {BUDGET_BYTES // 1024} KB compressed per page (issue 20).",
        "",
        "| page | resources | raw KB | gzip KB | budget |",
        "|---|---:|---:|---:|---|",
    ]
    for p in pages:
        verdict = "OVER" if p.over_budget else "ok"
        lines.append(
            f"| {p.name} | {len(p.resources)} | {_kb(p.raw)} | {_kb(p.gzip)} | {verdict} |"
        )
    return [*lines, "", check_line(pages)]


def payload(pages: list[Page]) -> dict:
    return {
        "budget_gzip_bytes": BUDGET_BYTES,
        "gzip_level": GZIP_LEVEL,
        "pages": [p.as_dict() for p in pages],
        "check": check_line(pages),
    }


def markdown(pages: list[Page], stamp: str) -> str:
    heading, *rest = summary(pages)
    lines = [f"{heading}, {stamp}", *rest]
    lines += ["", "## Per resource", ""]
    for p in pages:
        lines += [f"### {p.name} `{_redacted(p.url)}`", ""]
        lines += [
            "| kind | resource | status | raw B | gzip B |",
            "|---|---|---:|---:|---:|",
        ]
        for r in p.resources:
            shown = r.url if r.kind != "html" else "(the page)"
            lines.append(f"| {r.kind} | {shown} | {r.status} | {r.raw} | {r.gzip} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def check_line(pages: list[Page]) -> str:
    over = [p for p in pages if p.over_budget]
    if not over:
        return f"page weight: ok (every page under {BUDGET_BYTES // 1024} KB gzip)"
    names = ", ".join(f"{p.name} {_kb(p.gzip)} KB" for p in over)
    return f"page weight: FAIL, over {BUDGET_BYTES // 1024} KB gzip: {names}"


def demo_app(url: str):
    """A fresh database at the current schema with the demo seeded; (app, now)."""
    from common import ROOT, make_app, recreate_database
    from flask_migrate import upgrade

    from consult.demo import seed_demo
    from consult.extensions import db
    from consult.timeutil import now_utc

    recreate_database(url)
    app = make_app(url)
    now = now_utc()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo(now=now)
        db.session.commit()
    return app, now


def run(url: str | None = None) -> tuple[list[Page], str]:
    """Seed the demo on url (a temporary SQLite file by default) and weigh its pages."""
    with tempfile.TemporaryDirectory() as tmp:
        app, now = demo_app(url or f"sqlite:///{tmp}/page_weight.db")
        pages = measure(app, now)
        with app.app_context():
            from consult.extensions import db

            db.session.remove()
            db.engine.dispose()
    return pages, check_line(pages)


def main(argv=None) -> int:
    from common import ROOT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    pages, line = run(args.db)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M")
    table = markdown(pages, stamp)
    print(table)
    print(line)  # the check line, last
    if not args.no_write:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        figures = {"started": stamp, **payload(pages)}
        (out / f"{stamp}-page-weight.json").write_text(
            json.dumps(figures, indent=2) + "\n"
        )
        (out / f"{stamp}-page-weight.md").write_text(table)
    return 1 if any(p.over_budget for p in pages) else 0


if __name__ == "__main__":
    sys.exit(main())
