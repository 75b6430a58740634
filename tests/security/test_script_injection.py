"""Script-injection payloads in every user-text field, rendered everywhere.

Every user-written text column of the world (event fields, partner cities,
topics, agenda sessions and speakers, stakeholder types and registration
questions, registrations, challenges, inputs, experts, proposals and their
speakers, city challenges, survey texts and answers, library resources,
reminder texts, user names) gets payloads: a Text column all of them, a
shorter one as many as fit, each row starting at another payload so every
payload also leads a value (and a spreadsheet cell). Overwriting the stored
columns, rather than going through each form, also covers values that some
later service might let through unchecked; the services' own refusals of
javascript: URLs are checked separately below.

Then every GET page of the URL map (public, participant and organiser pages),
the HTML of the emails queued from those texts, and the exports are looked at:
in Chromium no dialog fires, no CSP violation is reported, nothing would run
without the CSP, templates are not evaluated; export cells cannot be formulas.
The world's texts are restored afterwards.
"""

from __future__ import annotations

import csv
import io
import re
import zlib

import pytest
from openpyxl import load_workbook
from sqlalchemy import JSON, String, Text, func, select, update

from consult.actions.models import Action, Milestone
from consult.actions.services.emails import queue_milestone_email, queue_owner_link
from consult.actions.services.progress import UpdateData, post_update
from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services import EventData, update_event
from consult.export_log import ExportLog
from consult.extensions import db
from consult.notifications.composers import Withdrawn, compose
from consult.notifications.models import OutboundEmail
from consult.notifications.reminders.messages import (
    queue_for_organiser,
    queue_for_registrant,
)
from consult.notifications.reminders.plans import plan_items
from consult.registration.models import Registration
from consult.registration.services.bulk_message import send_bulk_message
from consult.registration.services.emails import (
    SUBJECTS,
    queue_registration_email,
    registration_email_text,
)
from consult.registration.services.organiser_queries import RegistrantFilter
from consult.security import CONTENT_SECURITY_POLICY
from consult.surveys.models import Survey
from consult.surveys.services.emails import queue_survey_email
from consult.timeutil import now_utc
from tests.conftest import FIXED_NOW
from tests.security.browser import Browser, require_browser
from tests.security.conftest import client_for, table_fingerprints
from tests.security.payloads import (
    PAYLOADS,
    SCRIPT_PAYLOADS,
    TEMPLATE_MARKERS,
)
from tests.security.policy import actor_for
from tests.security.urls import app_rules, targets_for

# Tables whose rows the app writes itself (mail, logs, jobs): not user text.
SYSTEM_TABLES = {
    "outbound_emails",
    "outbound_attachments",
    "scheduler_heartbeats",
    "reminder_dispatches",
    "dashboard_export_logs",
    "attendance_imports",
    "alembic_version",
    "stored_files",
}
# Columns that are not free text: identifiers, codes, addresses, links
# (links are checked through the services: see the javascript: URL test).
NOT_TEXT = re.compile(
    r"(^|_)(slug|email|token|nonce|status|state|kind|role|timezone|zone|country|"
    r"key|keys|category|audience|anchor|source|fmt|dedup|message_id|hash|url|"
    r"link|links|type|name_key|locale|filename|original|mime|ip|error|action|"
    r"decision|direction|sort|code|reason_code)$"
)
SHORTEST = 20  # shorter columns hold codes (country, language, scale keys)
# Reminder texts take {placeholders}; their service refuses any other braces
# (tests/security/test_placeholders.py), so stored texts never hold them.
BRACES_REFUSED = {"reminder_plan_items"}
# JSON columns holding people's words: each string in them becomes a payload.
JSON_TEXT = [
    ("events", "topics"),
    ("inputs", "tags"),
    ("registration_questions", "choices"),
    ("registrations", "answers"),
    ("contribution_city_challenges", "evidence_links"),
    ("action_plan_versions", "snapshot"),
]


def _text_columns():
    for table in db.metadata.sorted_tables:
        if table.name in SYSTEM_TABLES:
            continue
        checked = " ".join(
            str(c.sqltext) for c in table.constraints if hasattr(c, "sqltext")
        )
        unique = {
            col.name
            for c in table.constraints
            if c.__class__.__name__ == "UniqueConstraint"
            for col in c.columns
        }
        for column in table.columns:
            if not isinstance(column.type, String | Text) or isinstance(
                column.type, JSON
            ):
                continue
            length = getattr(column.type, "length", None)
            if (
                column.primary_key
                or column.foreign_keys
                or column.unique
                or column.name in unique
                or NOT_TEXT.search(column.name)
                or (length is not None and length < SHORTEST)
                # enumerations the schema checks (status IN (...), kind = '...')
                or re.search(rf"\b{column.name}\s*(IN\s*\(|=\s*')", checked, re.I)
            ):
                continue
            yield table, column


def _packed(start: int, length: int | None) -> str:
    ordered = PAYLOADS[start:] + PAYLOADS[:start]
    if length is None:
        return "\n\n".join(ordered)
    value = ""
    for payload in ordered:
        candidate = f"{value} {payload}" if value else payload
        if len(candidate) > length:
            break
        value = candidate
    return value or ordered[0][:length]


def _inject() -> list[tuple]:
    """Overwrite every user-text column; returns what to restore."""
    saved = []
    columns = list(_text_columns())
    for number, (table, column) in enumerate(columns):
        pk = next(iter(table.primary_key.columns))
        rows = db.session.execute(select(pk, column)).all()
        for row_id, value in rows:
            saved.append((table, pk, column, row_id, value))
            # crc32, not hash(): str hashes change with every process, and the
            # run must put the same payloads in the same places every time.
            seed = zlib.crc32(f"{table.name}.{column.name}".encode())
            start = (seed + int(row_id) * 7 + number) % len(PAYLOADS)
            value = _packed(start, column.type.length)
            if table.name in BRACES_REFUSED:
                value = value.replace("{", "(").replace("}", ")")
            db.session.execute(
                update(table).where(pk == row_id).values({column.name: value})
            )
    for table_name, column_name in JSON_TEXT:
        table = db.metadata.tables[table_name]
        column, pk = table.c[column_name], next(iter(table.primary_key.columns))
        for row_id, value in db.session.execute(select(pk, column)).all():
            saved.append((table, pk, column, row_id, value))
            db.session.execute(
                update(table)
                .where(pk == row_id)
                .values({column_name: _json_payloads(value, int(row_id) * 5)})
            )
    db.session.commit()
    return saved


def _json_payloads(value, start: int):
    """The same structure with every string replaced by a payload."""
    if isinstance(value, str):
        return SCRIPT_PAYLOADS[start % len(SCRIPT_PAYLOADS)][:80]
    if isinstance(value, list):
        return [_json_payloads(v, start + i) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {
            k: _json_payloads(v, start + i) for i, (k, v) in enumerate(value.items())
        }
    return value


def _restore(saved) -> None:
    for entry in saved:
        table, pk, column, row_id, value = entry
        db.session.execute(
            update(table).where(pk == row_id).values({column.name: value})
        )
    db.session.commit()


def _queue_emails(world) -> int:
    """Emails built from the payload texts, through the areas' services."""
    first = db.session.scalar(select(func.max(OutboundEmail.id))) or 0
    now = now_utc()
    event = db.session.get(Event, world.a.ids["event"])
    owner = event.owner
    registration = db.session.get(Registration, world.a.ids["registration"])
    # An action owner's emails: their link, a milestone reminder and notice.
    action = db.session.get(Action, world.a.ids["action"])
    queue_owner_link(action, now=now, again_on=now.date())
    milestone = db.session.get(Milestone, world.a.ids["milestone"])
    queue_milestone_email(milestone, "milestone_due", now=now)
    for kind in SUBJECTS:
        queue_registration_email(registration, kind, now=now, dedup_suffix=":xss")
    for item in plan_items(event):
        if item.kind == "organiser_nudge":
            queue_for_organiser(item, owner, now=now)
        else:
            queue_for_registrant(item, registration, now=now)
    survey = db.session.get(Survey, world.a.ids["survey"])
    queue_survey_email(
        survey, registration, "invitation", dedup_key="xss-survey", now=now
    )
    send_bulk_message(
        event,
        RegistrantFilter(),
        owner,
        subject=SCRIPT_PAYLOADS[0],
        body="\n".join(SCRIPT_PAYLOADS),
        now=now,
    )
    db.session.commit()
    return first


@pytest.fixture(scope="module")
def injected(world_app, world):
    before = table_fingerprints()
    saved = _inject()
    first_log = db.session.scalar(select(func.max(ExportLog.id))) or 0
    first_email = _queue_emails(world)
    yield first_email
    db.session.rollback()
    db.session.execute(
        OutboundEmail.__table__.delete().where(OutboundEmail.id > first_email)
    )
    db.session.execute(ExportLog.__table__.delete().where(ExportLog.id > first_log))
    db.session.commit()
    _restore(saved)
    after = table_fingerprints()
    # The counter of each event's data changes only moves on: putting the
    # texts back is a change too (consult/data_versions.py).
    for counted in (before, after):
        counted.pop("event_data_versions")
    assert after == before, "the world's texts were not restored"


@pytest.fixture(scope="module")
def browser(request):
    require_browser()
    chromium = Browser(request.getfixturevalue("playwright_driver"))
    yield chromium
    chromium.close()


def _answerer(app, world):
    """Answer the browser's requests with the test client of the entitled user."""
    adapter = app.url_map.bind("localhost")
    clients = {}
    static_cache = {}

    def answer(method, path):
        # Playwright calls back on its own greenlet, outside the test's context.
        with app.app_context():
            return _answer(method, path)

    def _answer(method, path):
        if method != "GET":
            return None
        if path.startswith("/static/") and path in static_cache:
            return static_cache[path]
        try:
            rule, _ = adapter.match(path.split("?")[0], return_rule=True)
            actor = actor_for(rule, world)
        except Exception:
            actor = None
        client = clients.setdefault(actor, client_for(app, actor))
        response = client.get(path)
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "set-cookie")
        }
        result = (response.status_code, headers, response.get_data())
        response.close()
        if path.startswith("/static/"):
            static_cache[path] = result
        return result

    return answer


def _html_pages(app, world) -> list[str]:
    urls = []
    for rule in app_rules(app):
        if "GET" in rule.methods:
            urls += [t.url for t in targets_for(rule, world.a)]
    return urls


def test_the_browser_harness_sees_scripts_run_or_blocked(browser):
    """The control: an unescaped payload is caught, with and without a CSP."""
    page = b"<!doctype html><title>t</title><img src=x onerror=alert(1)>"

    def answer(method, path, csp):
        headers = {"Content-Type": "text/html"}
        if csp:
            headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if path.startswith("/page"):
            return 200, headers, page
        return 404, {"Content-Type": "text/plain"}, b""

    blocked = browser.visit("/page-csp", lambda m, p: answer(m, p, True))
    assert blocked.violations and not blocked.dialogs
    assert "IMG onerror" in blocked.dom
    ran = browser.visit("/page", lambda m, p: answer(m, p, False))
    assert ran.dialogs == ["alert: 1"]


def test_there_are_enough_payloads():
    assert len(SCRIPT_PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_payloads_reach_many_columns(world_app, injected):
    columns = {f"{t.name}.{c.name}" for t, c in _text_columns()}
    for expected in (
        "events.title",
        "events.description_md",
        "agenda_sessions.title",
        "speakers.name",
        "registrations.full_name",
        "registrations.organisation",
        "inputs.title",
        "inputs.body",
        "challenges.title",
        "survey_questions.text",
        "survey_answers.text_value",
        "contribution_proposals.title",
        "library_entries.title",
        "reminder_plan_items.body",
        "action_plans.introduction_md",
        "actions.title",
        "actions.description_md",
        "actions.partners",
        "action_milestones.title",
        "action_updates.body",
        "action_plans.title",
        "actions.lead_organisation",
        "programmes.name",
        "programmes.description_md",
        "city_pairs.themes",
        "cities.region",
        "covenant_commitments.title",
        "covenant_commitments.target",
        "covenant_commitments.description",
        "directory_profiles.looking_for",
        "directory_profiles.offering",
        "directory_profiles.topics",
        "meeting_requests.message",
        "directory_reports.reason",
        "api_tokens.name",
    ):
        assert expected in columns, f"{expected} gets no payloads"
    assert len(columns) > 60


def test_no_page_runs_a_payload_in_chromium(world_app, world, injected, browser):
    answer = _answerer(world_app, world)
    failures, html_pages, showing = [], 0, 0
    for url in _html_pages(world_app, world):
        status, headers, _ = answer("GET", url)
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        if 300 <= status < 400:  # e.g. an expired reset link sends elsewhere
            continue
        html_pages += 1
        visit = browser.visit(url, answer)
        problems = visit.problems()
        problems += [
            f"template evaluated: {m}" for m in TEMPLATE_MARKERS if m in visit.text
        ]
        if status >= 500:
            problems.append(f"status {status}")
        failures += [f"{url}: {p}" for p in problems]
        showing += "alert(" in visit.text  # payloads shown as text
    assert html_pages > 70
    assert showing > 40, "the payloads did not reach the pages"
    assert not failures, "\n".join(failures)


def _as_sent(email: OutboundEmail) -> tuple[str, str] | None:
    from consult.notifications.mime import SUBJECT_MAX, clean_header_text

    if email.composer and email.composed_at is None:
        composed = _composed(email)
        if composed is None:
            return None
        subject, html = composed
        # The sender cleans a composed subject before it goes out (claims.py).
        return clean_header_text(subject, SUBJECT_MAX), html
    return email.subject, email.body_html or ""


def _composed(email: OutboundEmail) -> tuple[str, str] | None:
    # Composed when it is due, as the sender composes it.
    at = max(FIXED_NOW, email.next_attempt_at)
    try:
        composed = compose(email, now=at)
    except Withdrawn:
        if email.composer == "action-owner":
            # An owner's milestone message withdrawn because an earlier sweep
            # marked the world's milestone done: it is never sent (nor
            # composed), so there is no text to check.
            return None
        # Messages queued for one registration mostly no longer fit its
        # status and would be withdrawn: their text still counts.
        return _text_without_checks(email, at)
    return composed.subject, composed.body_html


def _text_without_checks(email: OutboundEmail, at) -> tuple[str, str]:
    from consult.notifications.models import ReminderPlanItem
    from consult.notifications.reminders.messages import preview
    from consult.surveys.models import Survey
    from consult.surveys.services.emails import survey_email_text

    registration = db.session.get(Registration, email.registration_id)
    params = email.params
    if email.composer == "reminder":
        item = db.session.get(ReminderPlanItem, params["item"])
        text = preview(item, registration, now=at)
        return text["subject"], text["html"]
    if email.composer == "survey":
        survey = db.session.get(Survey, params["survey"])
        composed = survey_email_text(survey, registration, params["kind"])
    else:
        composed = registration_email_text(registration, params["kind"], now=at)
    return composed.subject, composed.body_html


def test_emails_html_runs_nothing_even_without_a_csp(
    world_app, world, injected, browser
):
    rows = db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.id > injected)
        .order_by(OutboundEmail.id)
        .limit(40)
    ).all()
    # What the recipient gets: a message queued for its composer is composed
    # as the sender composes it.
    sent = [(email, _as_sent(email)) for email in rows]
    emails = [(email, text) for email, text in sent if text is not None]
    db.session.rollback()
    assert len(emails) >= 10
    failures, showing = [], 0
    for email, (subject, html) in emails:
        body = html.encode()
        assert body, f"email {email.id} has no HTML"

        def answer(method, path, body=body, email_id=email.id):
            if path == f"/mail/{email_id}":
                return 200, {"Content-Type": "text/html; charset=utf-8"}, body
            return None

        visit = browser.visit(f"/mail/{email.id}", answer)
        problems = visit.problems()
        # Emails carry inline styles (mail clients need them); no script.
        problems = [p for p in problems if not p.endswith(" style")]
        problems += [
            f"template evaluated: {m}" for m in TEMPLATE_MARKERS if m in visit.text
        ]
        if any(p in subject for p in ("\r", "\n")):
            problems.append("line break in the subject")
        failures += [f"email {email.id} ({email.template}): {p}" for p in problems]
        showing += "alert(" in visit.text
    assert showing >= 10, "the payloads did not reach the emails"
    assert not failures, "\n".join(failures)


def _export_urls(world_app, world) -> list[str]:
    urls = []
    for rule in app_rules(world_app):
        if "GET" not in rule.methods:
            continue
        if rule.rule.startswith("/facilitate/"):
            continue  # the owner's twin under /manage/ serves the same file
        if re.search(r"(\.csv|\.xlsx|<fmt>)$", rule.rule):
            if rule.endpoint == "dashboard.export":
                urls += [
                    f"/manage/events/{world.a.slug}/export/{kind}.{fmt}"
                    for kind in ("registrants", "inputs", "priorities")
                    for fmt in ("csv", "xlsx")
                ]
            else:
                urls += [t.url for t in targets_for(rule, world.a)]
    return urls


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _dangerous(value) -> bool:
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(("=", "+", "-", "@", "\t", "\r")) and not _is_number(value)


def test_export_cells_are_never_formulas(world_app, world, injected):
    client = client_for(world_app, world.a.owner_id)
    failures, cells, neutralised = [], 0, 0
    urls = _export_urls(world_app, world)
    assert len(urls) >= 8
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".csv"):
            rows = csv.reader(
                io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))
            )
            values = [v for row in rows for v in row]
        else:
            book = load_workbook(io.BytesIO(response.get_data()))
            values = []
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            failures.append(f"{url}: formula cell {cell.coordinate}")
                        values.append(cell.value)
        cells += len(values)
        failures += [f"{url}: {v[:40]!r}" for v in values if _dangerous(v)]
        neutralised += sum(
            1 for v in values if isinstance(v, str) and v.startswith(("'=", "'+", "'@"))
        )
        # Each export (but the numbers-only priorities, and the published
        # results, frozen when published, before the texts were injected)
        # carries injected text; which payload comes first depends on the row.
        carried = any(
            isinstance(v, str) and ("alert(" in v or "HYPERLINK" in v) for v in values
        )
        frozen = url.endswith("/results.csv")
        if not carried and "priorities" not in url and not frozen:
            failures.append(f"{url}: no injected text seen")
    assert cells > 1000
    assert neutralised > 0, "no formula-like cell was exported at all"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_services_refuse_script_urls(world_app, world, url):
    event = db.session.get(Event, world.a.ids["event"])
    data = EventData(
        title=event.title,
        timezone=event.timezone,
        start=FIXED_NOW.replace(tzinfo=None),
        end=FIXED_NOW.replace(tzinfo=None, hour=11),
        join_url=url,
    )
    with pytest.raises(ValidationFailed):
        update_event(event, event.owner, data, now=FIXED_NOW)
    db.session.rollback()
    # A progress update's link, from an editor or the action's owner.
    action = db.session.get(Action, world.a.ids["action"])
    with pytest.raises(ValidationFailed) as refused:
        post_update(action, event.owner, UpdateData(body="x", link=url), now=FIXED_NOW)
    assert refused.value.field == "link"
    db.session.rollback()
