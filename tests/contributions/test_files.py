"""Slides: type from the content, size limit, storage outside static."""

import os

import pytest

from consult.contributions.services import (
    Upload,
    check_upload,
    detect_type,
    submit_proposal,
)
from consult.contributions.services.files import path_of
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.contributions.conftest import make_zip

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def test_types_are_read_from_the_content(pdf_bytes, pptx_bytes, odp_bytes):
    assert detect_type(pdf_bytes) == "pdf"
    assert detect_type(pptx_bytes) == "pptx"
    assert detect_type(odp_bytes) == "odp"
    assert detect_type(EXE) is None
    assert (
        detect_type(make_zip({"word/document.xml": b"", "[Content_Types].xml": b""}))
        is None
    )
    assert (
        detect_type(make_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}))
        is None
    )
    assert detect_type(b"PK\x03\x04 not really a zip") is None


@pytest.mark.parametrize("content", [EXE, ELF])
def test_a_renamed_executable_is_refused(app, content):
    with pytest.raises(ValidationFailed) as exc:
        check_upload(Upload("slides.pdf", content))
    assert exc.value.field == "slides"
    assert "PDF" in exc.value.message


def test_an_oversize_file_is_refused(app, pdf_bytes):
    app.config["CONTRIBUTION_MAX_FILE_MB"] = 0.001  # about 1 KB
    with pytest.raises(ValidationFailed) as exc:
        check_upload(Upload("big.pdf", pdf_bytes + b"0" * 2048))
    assert "larger than" in exc.value.message


def test_refused_files_leave_nothing_stored(app, cb_event, proposal_data, now):
    folder = os.path.join(app.instance_path, "contributions")
    with pytest.raises(ValidationFailed):
        submit_proposal(
            cb_event, proposal_data(slides=Upload("talk.pptx", EXE)), now=now
        )
    db.session.rollback()
    assert not os.path.exists(folder) or os.listdir(folder) == []


def test_slides_are_stored_under_the_instance_folder_with_a_generated_name(
    app, cb_event, proposal_data, pptx_bytes, now
):
    proposal = submit_proposal(
        cb_event,
        proposal_data(slides=Upload("../../Our talk.pptx", pptx_bytes)),
        now=now,
    )
    db.session.commit()
    path = path_of(proposal.slides_name)
    assert path.startswith(app.instance_path)
    assert "static" not in os.path.relpath(path, app.instance_path)
    assert "Our talk" not in proposal.slides_name
    with open(path, "rb") as handle:
        assert handle.read() == pptx_bytes
    assert proposal.slides_type == "pptx" and proposal.slides_size == len(pptx_bytes)
