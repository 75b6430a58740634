"""A report chosen for an upload form that had other problems is kept: the
organiser corrects the form and sends it again without choosing the file."""

from __future__ import annotations

import html
import io
import re

import pytest

from tests.form_summary import summary_links
from tests.registration.test_attendance_pages import (
    DATA,
    ZOOM,
    apply,
    import_count,
    state,
    token_in,
    url,
)
from tests.registration.test_attendance_services import (
    sample_event,
    sample_registrants,
)


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def kept_in(page: str) -> str:
    match = re.search(r'name="kept" type="hidden" value="([^"]*)"', page)
    assert match, "the upload form carries a kept report"
    return html.unescape(match.group(1))


def test_a_readable_report_is_kept_when_other_fields_are_wrong(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    response = client.post(
        url(att_event),
        data={
            "report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM),
            "zone": "Nowhere/Zone",
            "threshold_minutes": "a lot",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"“{ZOOM}” is kept: choose another file only to replace it." in page
    assert 'aria-describedby="report-help report-kept"' in page
    assert "Enter a whole number from 0 to 1,440." in page
    assert summary_links(page) == ["zone", "threshold_minutes"]
    assert "There are 2 problems with this form" in page
    assert import_count() == 0

    # Corrected, sent again without a file: the kept report is previewed.
    again = client.post(
        url(att_event),
        data={
            "kept": kept_in(page),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "10",
        },
        content_type="multipart/form-data",
    )
    assert again.status_code == 200
    preview = again.get_data(as_text=True)
    assert import_count() == 0
    applied = apply(client, att_event, token_in(preview))
    assert applied.status_code == 302
    assert import_count() == 1
    assert state(registrants)["Siti Aminah"][0] is True


def test_a_new_file_replaces_the_kept_one(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    first = client.post(
        url(att_event),
        data={
            "report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "",
        },
        content_type="multipart/form-data",
    )
    kept = kept_in(first.get_data(as_text=True))
    second = client.post(
        url(att_event),
        data={
            "kept": kept,
            "report": (io.BytesIO(b"not,a,report\n1,2,3\n"), "other.csv"),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "10",
        },
        content_type="multipart/form-data",
    )
    assert second.status_code == 422
    page = second.get_data(as_text=True)
    # The new file is the one read, refused, and not kept.
    assert 'id="report-error"' in page
    assert kept_in(page) == ""
    assert "is kept" not in page
    assert import_count() == 0


def test_a_report_kept_for_another_event_is_refused(
    client, login, organiser, att_event, now
):
    other = sample_event(organiser, now)
    login(organiser)
    first = client.post(
        url(other),
        data={
            "report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "x",
        },
        content_type="multipart/form-data",
    )
    response = client.post(
        url(att_event),
        data={
            "kept": kept_in(first.get_data(as_text=True)),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "10",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "belongs to another event" in response.get_data(as_text=True)
    assert import_count() == 0


def test_without_a_file_or_a_kept_one_the_field_says_so(
    client, login, organiser, att_event
):
    login(organiser)
    response = client.post(
        url(att_event),
        data={"zone": "Asia/Kuala_Lumpur", "threshold_minutes": "-1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the report file you downloaded." in page
    assert summary_links(page) == ["report", "threshold_minutes"]


def test_the_upload_checks_its_own_csrf_token(
    app, client, login, organiser, att_event, monkeypatch
):
    # Exempt from the global hook (the kept report can exceed its limit): the
    # form checks the token itself.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login(organiser)
    response = client.post(
        url(att_event),
        data={
            "report": (io.BytesIO((DATA / ZOOM).read_bytes()), ZOOM),
            "zone": "Asia/Kuala_Lumpur",
            "threshold_minutes": "10",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "CSRF token is missing" in page
    assert 'name="token"' not in page  # no preview
    assert import_count() == 0
