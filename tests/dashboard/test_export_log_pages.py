"""Downloads of the event's data from other pages than the dashboard are logged too:
the registrations list, the inputs list and a survey's results (CSV and XLSX).

Each download adds exactly one export-log row (who, what kind, which format,
how many rows, when) in the request's own transaction; a refused download adds
none; the dashboard names every kind in its export log.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from consult.auth.models import User
from consult.dashboard.services.exports import EXPORT_LABELS
from consult.events.models import EventOrganiser
from consult.events.services import EventData, create_event
from consult.export_log import EXPORT_KINDS, ExportLog, log_export
from consult.exports import csv_row_count, csv_text
from consult.extensions import db
from consult.surveys.models import SurveyResponse
from consult.timeutil import now_utc
from tests.clock import wall
from tests.conftest import FIXED_NOW, make_app
from tests.dashboard.conftest import FORMULA, add_survey
from tests.test_migrations import empty_postgres_database  # noqa: F401

# (path under /manage/events/<slug>/, kind, format, rows in the dash_event file)
DOWNLOADS = [
    ("registrations.csv", "registrant_list", "csv", 14),
    ("registrations.csv?status=confirmed", "registrant_list", "csv", 12),
    ("challenges/inputs.csv", "inputs", "csv", 6),
    ("surveys/{survey}/results.csv", "surveys", "csv", 8),
    ("surveys/{survey}/results.xlsx", "surveys", "xlsx", 8),
]
IDS = [path.split("/")[-1] for path, *_ in DOWNLOADS]
PREVIOUS_HEAD = "93b2ac0f7e35"


def _url(event, path: str) -> str:
    return f"/manage/events/{event.slug}/" + path.format(survey=event.test_survey.id)


def _rows_in_file(response) -> int:
    if response.mimetype == "text/csv":
        text = response.get_data(as_text=True).removeprefix("\ufeff")
        return len(list(csv.reader(io.StringIO(text)))) - 1
    sheet = load_workbook(io.BytesIO(response.get_data()))["Responses"]
    return sheet.max_row - 1


def _log() -> list[ExportLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(ExportLog).order_by(ExportLog.id)))


# --- service level ---------------------------------------------------------


def test_csv_row_count_counts_records_not_lines():
    header = ["Name", "Answer"]
    rows = [
        ["Aisha", "Deposit schemes\nfor bottles"],
        [FORMULA, "line one\r\nline two\rthree"],
        ["Lim", ""],
    ]
    assert csv_row_count(csv_text(header, rows)) == 3
    assert csv_row_count(csv_text(header, [])) == 0
    assert csv_row_count("") == 0


def test_every_export_kind_has_a_label():
    assert set(EXPORT_LABELS) == set(EXPORT_KINDS)
    assert "registrant_list" in EXPORT_KINDS


def test_the_database_accepts_the_new_kind_and_still_refuses_others(
    dash_event, organiser, now
):
    entry = log_export(
        dash_event, organiser, kind="registrant_list", fmt="csv", rows=3, now=now
    )
    db.session.commit()
    stored = db.session.get(ExportLog, entry.id)
    assert (stored.kind, stored.format, stored.row_count) == (
        "registrant_list",
        "csv",
        3,
    )
    # The CHECK constraint itself, past the service's own check:
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(ExportLog).values(
                event_id=dash_event.id,
                user_email=organiser.email,
                kind="people",
                format="csv",
                row_count=1,
                created_at=now,
            )
        )
    db.session.rollback()
    assert [e.kind for e in _log()] == ["registrant_list"]


# --- through HTTP ----------------------------------------------------------


@pytest.mark.parametrize("path, kind, fmt, rows", DOWNLOADS, ids=IDS)
def test_each_download_adds_one_log_row(
    dash_event, organiser, login, client, path, kind, fmt, rows
):
    login(organiser)
    before = now_utc()
    response = client.get(_url(dash_event, path))
    after = now_utc()
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert _rows_in_file(response) == rows
    [entry] = _log()
    assert entry.event_id == dash_event.id
    assert (entry.user_id, entry.user_email) == (organiser.id, organiser.email)
    assert (entry.kind, entry.format, entry.row_count) == (kind, fmt, rows)
    assert before - timedelta(seconds=1) <= entry.created_at <= after


def test_each_download_is_logged_again_and_under_who_took_it(
    dash_event, organiser, make_user, login, client
):
    co = make_user("co@example.org")
    db.session.add(EventOrganiser(event_id=dash_event.id, user_id=co.id))
    db.session.commit()
    url = _url(dash_event, "challenges/inputs.csv")
    login(organiser)
    client.get(url)
    login(co)
    client.get(url)
    client.get(url)
    assert [(e.user_email, e.kind) for e in _log()] == [
        (organiser.email, "inputs"),
        (co.email, "inputs"),
        (co.email, "inputs"),
    ]


@pytest.mark.parametrize("path", [d[0] for d in DOWNLOADS], ids=IDS)
def test_refused_downloads_log_nothing(
    dash_event, other_organiser, make_user, login, client, path
):
    url = _url(dash_event, path)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(other_organiser)
    assert client.get(url).status_code == 403
    login(make_user("expert@example.org", role="expert"))
    assert client.get(url).status_code == 403
    assert _log() == []


@pytest.mark.parametrize("path", [d[0] for d in DOWNLOADS], ids=IDS)
def test_a_draft_events_downloads_are_a_404_for_others_and_log_nothing(
    dash_event, other_organiser, login, client, path
):
    dash_event.status = "draft"
    db.session.commit()
    login(other_organiser)
    assert client.get(_url(dash_event, path)).status_code == 404
    assert _log() == []


def test_a_survey_of_another_event_is_a_404_and_logs_nothing(
    dash_event, make_reg_event, organiser, login, client, now
):
    other = make_reg_event(title="Another webinar")
    survey, _question, _options = add_survey(other, now)
    db.session.commit()
    login(organiser)
    for fmt in ("csv", "xlsx"):
        url = f"/manage/events/{dash_event.slug}/surveys/{survey.id}/results.{fmt}"
        assert client.get(url).status_code == 404
    assert _log() == []


def test_an_anonymous_survey_with_too_few_responses_is_refused_unlogged(
    dash_event, organiser, login, client, now
):
    survey, _question, _options = add_survey(dash_event, now)
    survey.anonymous = True
    for person in dash_event.test_people[:2]:  # fewer than five: no export
        db.session.add(
            SurveyResponse(
                survey_id=survey.id,
                registration_id=person.id,
                stakeholder_type_id=person.stakeholder_type_id,
                status="submitted",
                submitted_at=now,
            )
        )
    db.session.commit()
    login(organiser)
    for fmt in ("csv", "xlsx"):
        url = f"/manage/events/{dash_event.slug}/surveys/{survey.id}/results.{fmt}"
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/surveys/{survey.id}/results")
    assert _log() == []


def test_the_dashboard_lists_the_downloads_of_every_page(
    dash_event, organiser, login, client
):
    login(organiser)
    for path, *_ in DOWNLOADS:
        assert client.get(_url(dash_event, path)).status_code == 200
    page = client.get(f"/manage/events/{dash_event.slug}/dashboard")
    html = page.get_data(as_text=True)
    log_table = html.split("Export log", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr>" + r"<td>([^<]*)</td>" * 4 + "</tr>", log_table)
    listed = [(what, rows) for _when, _who, what, rows in cells]
    # Newest first.
    assert listed == [
        ("Survey responses (XLSX)", "8"),
        ("Survey responses (CSV)", "8"),
        ("Inputs (CSV)", "6"),
        ("Registrants as filtered on the Registrations page (CSV)", "12"),
        ("Registrants as filtered on the Registrations page (CSV)", "14"),
    ]
    assert {who for _when, who, _what, _rows in cells} == {organiser.email}


@pytest.mark.parametrize(
    "path",
    [d[0] for d in DOWNLOADS] + ["export/inputs.xlsx", "export.xlsx"],
    ids=[*IDS, "dashboard inputs.xlsx", "dashboard export.xlsx"],
)
def test_nothing_is_read_after_the_log_is_committed(
    dash_event, organiser, login, client, count_statements, path
):
    """The file is written from what was read: a read after the commit would
    open a new transaction (on SQLite holding the write lock) for that time."""
    login(organiser)
    url = _url(dash_event, path)
    db.session.rollback()
    with count_statements() as statements:
        assert client.get(url).status_code == 200
    assert statements[-1].startswith("INSERT INTO dashboard_export_logs")
    assert len(_log()) == 1


# --- SQLite: the write is declared before the first query --------------------


def test_logged_downloads_take_the_write_lock_up_front(
    backend, dash_event, organiser, login, client
):
    if backend != "sqlite":
        pytest.skip("SQLite's lock modes only")
    login(organiser)
    urls = {path: _url(dash_event, path) for path, *_ in DOWNLOADS}
    urls["dashboard export (control)"] = _url(dash_event, "export/inputs.csv")
    list_page = _url(dash_event, "registrations")

    def first_statement(url: str) -> str:
        db.session.rollback()  # the request opens its own transaction
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200, url
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        return statements[0]

    assert first_statement(list_page) == "BEGIN"  # a page that only reads
    for path, url in urls.items():
        assert first_statement(url) == "BEGIN IMMEDIATE", path


# --- the migration ------------------------------------------------------------


def _kinds(conn) -> list[str]:
    return list(conn.scalars(text("SELECT kind FROM dashboard_export_logs")))


def _insert_log(conn, event_id: int, kind: str) -> None:
    conn.execute(
        text(
            "INSERT INTO dashboard_export_logs "
            "(event_id, user_email, kind, format, row_count, created_at) "
            "VALUES (:event, 'o@example.org', :kind, 'csv', 2, CURRENT_TIMESTAMP)"
        ),
        {"event": event_id, "kind": kind},
    )


def _check_the_migration(database_url: str, instance_dir) -> None:
    app = make_app(database_url, instance_dir)
    with app.app_context():
        upgrade()
        user = User(email="o@example.org", role="organiser")
        db.session.add(user)
        db.session.flush()
        start = wall(21, 16)
        event = create_event(
            user,
            EventData(
                title="Circular cities",
                timezone="Asia/Kuala_Lumpur",
                start=start,
                end=start + timedelta(hours=2),
            ),
            now=FIXED_NOW,
        )
        log_export(
            event, user, kind="registrant_list", fmt="csv", rows=2, now=FIXED_NOW
        )
        event_id = event.id
        db.session.commit()
        db.session.remove()

        downgrade(revision=PREVIOUS_HEAD)
        with db.engine.connect() as conn:
            assert _kinds(conn) == ["registrants"]  # kept, under the older kind
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _insert_log(conn, event_id, "registrant_list")

        upgrade()
        with db.engine.begin() as conn:
            _insert_log(conn, event_id, "registrant_list")
            assert sorted(_kinds(conn)) == ["registrant_list", "registrants"]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _insert_log(conn, event_id, "people")
        db.engine.dispose()


def test_the_migration_adds_the_kind_and_its_downgrade_keeps_the_log_on_sqlite(
    tmp_path,
):
    _check_the_migration("sqlite:///" + str(tmp_path / "m.db"), tmp_path / "inst")


def test_the_migration_adds_the_kind_and_its_downgrade_keeps_the_log_on_postgresql(
    empty_postgres_database,  # noqa: F811
    tmp_path,
):
    _check_the_migration(empty_postgres_database, tmp_path / "inst")
