"""Slides that are ZIP containers (PPTX, ODP) are refused when their declared
unpacked sizes are a decompression bomb; nothing of them is stored.

The archives are built here: a bomb is a run of zeros written a megabyte at a
time through ``ZipFile.open(name, "w")`` with ZIP_DEFLATED (200 MiB of zeros
is about 200 KB), so the test never holds the unpacked bytes. The pages'
proof (message next to the field, no proposal, no stored file) is in
tests/contributions/test_pages.py: this suite's world has no open call.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from consult.contributions.services.files import (
    MAX_MEMBERS,
    RATIO_FLOOR,
    Upload,
    archive_problem,
    check_upload,
)
from consult.errors import ValidationFailed

MiB = 1024 * 1024
PPTX_PARTS = {
    "[Content_Types].xml": b"<Types/>",
    "ppt/presentation.xml": b"<p:presentation/>",
}


def pptx(*, zeros: int = 0, parts: int = 0, each: int = 0) -> bytes:
    """A PPTX-shaped archive, plus `zeros` bytes of zeros in one part, or
    `parts` further parts of `each` zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in PPTX_PARTS.items():
            archive.writestr(name, content)
        if zeros:
            with archive.open("ppt/media/image1.png", "w", force_zip64=True) as part:
                chunk = bytes(MiB)
                for _ in range(zeros // MiB):
                    part.write(chunk)
        for index in range(parts):
            archive.writestr(f"ppt/slides/slide{index}.xml", bytes(each))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = pptx(zeros=200 * MiB)
    assert len(data) < MiB  # what is uploaded is small
    return data


def test_a_normal_pptx_passes(world_app):
    with world_app.test_request_context():
        assert archive_problem(pptx(), 20 * MiB) is None
        checked = check_upload(Upload("deck.pptx", pptx()))
    assert checked.kind == "pptx"


def test_a_bomb_is_refused_for_its_size_and_its_ratio(world_app, bomb):
    limit_mb = world_app.config["CONTRIBUTION_MAX_FILE_MB"]
    assert 10 * limit_mb <= 200  # the bomb unpacks to more than the bound
    with world_app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            check_upload(Upload("deck.pptx", bomb))
        # With a bound it fits, its one part's ratio (about 1000:1) refuses it.
        ratio = archive_problem(bomb, 100 * MiB)
    assert caught.value.field == "slides"
    assert f"would unpack to more than {10 * limit_mb} MB" in caught.value.message
    assert "export a PDF" in caught.value.message
    assert ratio and "compressed more than 100 times" in ratio


def test_too_much_in_total_is_refused_even_in_small_parts(world_app):
    # Parts no larger than RATIO_FLOOR may compress well (XML does); together
    # they still may not unpack to more than ten times the upload limit.
    data = pptx(parts=12, each=RATIO_FLOOR)
    with world_app.test_request_context():
        assert archive_problem(data, MiB) == (
            "This file would unpack to more than 10 MB; no presentation does."
        )
        assert archive_problem(data, 2 * MiB) is None


def test_too_many_parts_are_refused(world_app):
    data = pptx(parts=MAX_MEMBERS)
    with world_app.test_request_context():
        problem = archive_problem(data, 20 * MiB)
    assert problem and f"more than {MAX_MEMBERS} parts" in problem
