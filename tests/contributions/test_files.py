"""Slides: type from the content, size limit, storage in the database."""

import hashlib

import pytest
from sqlalchemy import func, select

from consult.contributions.services import (
    Upload,
    check_upload,
    detect_type,
    submit_proposal,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.storage.models import StoredFile, StoredFileChunk
from consult.storage.services import read_file
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


def _stored_counts():
    return (
        db.session.scalar(select(func.count()).select_from(StoredFile)),
        db.session.scalar(select(func.count()).select_from(StoredFileChunk)),
    )


def test_refused_files_leave_nothing_stored(app, cb_event, proposal_data, now):
    with pytest.raises(ValidationFailed):
        submit_proposal(
            cb_event, proposal_data(slides=Upload("talk.pptx", EXE)), now=now
        )
    db.session.rollback()
    assert _stored_counts() == (0, 0)


def test_slides_are_stored_in_the_database_with_their_type_size_and_hash(
    app, cb_event, proposal_data, pptx_bytes, now
):
    proposal = submit_proposal(
        cb_event,
        proposal_data(slides=Upload("../../Our talk.pptx", pptx_bytes)),
        now=now,
    )
    db.session.commit()
    stored = proposal.slides_file
    assert read_file(stored.id) == pptx_bytes
    assert stored.size_bytes == len(pptx_bytes) == proposal.slides_size
    assert stored.sha256 == hashlib.sha256(pptx_bytes).hexdigest()
    assert stored.content_type.endswith("presentationml.presentation")
    assert proposal.slides_type == "pptx"
    assert proposal.slides_original == "../../Our talk.pptx"
