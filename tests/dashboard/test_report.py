"""The consultation report as HTML and as a PDF made from the same HTML."""

from __future__ import annotations

import io

from pypdf import PdfReader

from consult.dashboard.services import pdf as pdf_service
from consult.dashboard.services.report import report_data
from consult.extensions import db
from tests.dashboard.conftest import PAYLOAD, fetch_report_pdf, require_pdf


def _poison(event):
    first = event.test_people[0]
    first.organisation = PAYLOAD
    first.consent_listing = True
    event.test_inputs[0].title = PAYLOAD
    event.test_inputs[0].body = PAYLOAD + " **bold**"
    event.test_inputs[0].selected_for_plan = True
    db.session.commit()


def test_report_service_groups_inputs_per_challenge(dash_event, now):
    report = report_data(dash_event, now=now)
    first = report.sections[0]
    assert first.challenge.title == "Food and organic waste"
    assert [item.kind for item, _n in first.selected] == ["solution_idea"]
    assert [item.kind for item, _n in first.practices] == ["best_practice"]
    assert first.selected[0][1] == 4  # supports
    assert report.priorities.ballots == 12
    assert {name for name, _n in report.organisations} == {"Org 0", "Org 2", "Org 4"}
    assert not report.attendance_known  # the event is in the future


def test_report_page_shows_every_section(dash_event, organiser, login, client):
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/report")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for heading in (
        "Consultation report",
        "Agenda",
        "Participation",
        "Attendance",
        "Challenge priorities",
        "Divergence between stakeholder groups",
        "Selected for the action plan",
        "Best practices referenced",
        "Survey results",
        "Participating organisations",
        "Appendix: method",
    ):
        assert heading in text, heading
    assert "Government &amp; public agencies" in text
    assert "<svg" in text and "Before the webinar" in text
    assert 'media="print"' in text and "print.css" in text
    assert "<script>alert" not in text


def test_user_text_stays_inert_in_the_report(dash_event, organiser, login, client):
    _poison(dash_event)
    login(organiser)
    text = client.get(f"/manage/events/{dash_event.slug}/report").get_data(as_text=True)
    assert PAYLOAD not in text
    assert "&lt;script&gt;" in text
    assert "<strong>bold</strong>" in text  # Markdown still rendered


def test_report_pdf_is_a_real_pdf_with_the_report(dash_event, organiser, login, client):
    require_pdf()
    _poison(dash_event)
    login(organiser)
    response = fetch_report_pdf(client, dash_event)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 5
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert "Consultation report" in text or "CONSULTATION REPORT" in text
    assert "Food and organic waste" in text
    assert "Government & public agencies" in text
    assert PAYLOAD in text  # printed as the text it is, not run


def test_report_pdf_answers_503_naming_the_libraries_when_unavailable(
    dash_event, organiser, login, client, monkeypatch
):
    def missing():
        raise pdf_service.PdfUnavailable(
            "WeasyPrint cannot load the system libraries "
            + pdf_service.SYSTEM_LIBRARIES
        )

    monkeypatch.setattr(pdf_service, "weasyprint_module", missing)
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/report.pdf")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "libpango-1.0-0" in text and "libharfbuzz0b" in text
    report = client.get(f"/manage/events/{dash_event.slug}/report")
    assert "Download PDF" not in report.get_data(as_text=True)


def test_printing_fetches_only_static_files(app):
    import pytest

    require_pdf()
    fetcher = pdf_service.static_fetcher(
        static_folder=app.static_folder, static_prefix="/static/"
    )
    css = fetcher(pdf_service.BASE_URL + "static/css/print.css")
    assert b"@page" in css.read()
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        pdf_service.BASE_URL + "static/../config.py",
        pdf_service.BASE_URL + "manage/overview",
    ):
        with pytest.raises(ValueError):
            fetcher(url)
    html = '<p>Hello</p><img src="http://169.254.169.254/x.png">'
    data = pdf_service.html_to_pdf(
        html, static_folder=app.static_folder, static_prefix="/static/"
    )
    assert data.startswith(b"%PDF-")
