"""Slides: checked from their content, stored in the database.

Only PDF, PPTX and ODP are taken. The type is read from the bytes, never from
the name or the browser's Content-Type: a PDF starts with ``%PDF-``; PPTX and
ODP are ZIP containers whose entries say what they hold. The upload is read a
chunk at a time, the size limit applying while it is read, and stored through
consult.storage so that every web host can serve it.

A ZIP container is never unpacked here, but whoever opens the slides later
will: before anything is read from it, its central directory's declared sizes
are checked (``archive_problem``), so a decompression bomb is refused.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.storage.models import StoredFile
from consult.storage.services import (
    FileTooLarge,
    Measured,
    measure,
    save_file,
)

DEFAULT_MAX_MB = 20
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
# Bounds on what a PPTX/ODP may unpack to, read from its central directory.
UNPACKED_FACTOR = 10  # all parts together: at most 10x the upload size limit
MAX_MEMBERS = 5000  # parts in one archive (a 500-slide deck has about 1,500)
MAX_RATIO = 100  # compression ratio of one part, for parts above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024  # small parts (XML) may compress as well as they like


class Upload:
    """What the browser sent: the name it gave and the file, as bytes or a stream."""

    def __init__(self, filename: str, content: bytes | BinaryIO):
        self.filename = filename
        if isinstance(content, bytes | bytearray):
            content = io.BytesIO(bytes(content))
        self.stream: BinaryIO = content


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    measured: Measured


def max_bytes() -> int:
    mb = current_app.config.get("CONTRIBUTION_MAX_FILE_MB", DEFAULT_MAX_MB)
    return int(float(mb) * 1024 * 1024)


def detect_type(content: bytes | BinaryIO) -> str | None:
    """'pdf', 'pptx', 'odp' or None, from the file's bytes (or seekable stream)."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    stream.seek(0)
    head = stream.read(5)
    stream.seek(0)
    if head == b"%PDF-":
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read no more than the type can be: the part is never unpacked whole.
                with archive.open("mimetype") as part:
                    mimetype = part.read(len(ODP_MIMETYPE) + 16)
                if mimetype.strip() == ODP_MIMETYPE:
                    return "odp"
                return None
            if "[Content_Types].xml" in names and any(
                n.startswith("ppt/") for n in names
            ):
                return "pptx"
    except (
        zipfile.BadZipFile,
        KeyError,
        NotImplementedError,  # a compression method zipfile does not know
        OSError,
        RuntimeError,
        ValueError,
    ):
        return None
    finally:
        stream.seek(0)
    return None


def archive_problem(content: bytes | BinaryIO, limit: int) -> str | None:
    """Why a ZIP container must not be accepted, from its declared sizes only.

    Nothing is decompressed: the central directory says how large each part
    would be. ``limit`` is the upload size limit in bytes. None for a file that
    is not a ZIP container, or one within bounds.
    """
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    stream.seek(0)
    try:
        if stream.read(4) != b"PK\x03\x04":
            return None
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None  # not a readable archive: the type check refuses it
    finally:
        stream.seek(0)
    if len(members) > MAX_MEMBERS:
        return _(
            "This file holds more than %(count)d parts; no presentation does.",
            count=MAX_MEMBERS,
        )
    bound = UNPACKED_FACTOR * limit
    if sum(member.file_size for member in members) > bound:
        return _(
            "This file would unpack to more than %(mb)d MB; no presentation does.",
            mb=bound // (1024 * 1024),
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            return _(
                "A part of this file is compressed more than %(ratio)d times; "
                "no presentation is.",
                ratio=MAX_RATIO,
            )
    return None


def check_upload(upload: Upload, field: str = "slides") -> CheckedUpload:
    """The file's type, size and hash, or ValidationFailed (too large, empty,
    not slides). Reads at most one chunk past the limit."""
    try:
        measured = measure(upload.stream, max_bytes())
    except FileTooLarge:
        raise ValidationFailed(
            _(
                "This file is larger than %(mb)s MB. Please send a smaller file "
                "(for example, compress the images or export a PDF).",
                mb=current_app.config.get("CONTRIBUTION_MAX_FILE_MB", DEFAULT_MAX_MB),
            ),
            field=field,
        ) from None
    if measured.size == 0:
        raise ValidationFailed(_("This file is empty."), field=field)
    if problem := archive_problem(upload.stream, max_bytes()):
        raise ValidationFailed(
            problem + " " + _("Please save the slides again, or export a PDF."),
            field=field,
        )
    kind = detect_type(upload.stream)
    if kind is None:
        raise ValidationFailed(
            _(
                "Only PDF, PowerPoint (.pptx) and OpenDocument (.odp) slides are "
                "accepted; this file is none of them, whatever its name says."
            ),
            field=field,
        )
    return CheckedUpload(kind=kind, measured=measured)


def store(upload: Upload, checked: CheckedUpload, *, now: datetime) -> StoredFile:
    """Save checked slides in the database; returns the flushed StoredFile."""
    return save_file(
        upload.stream,
        content_type=CONTENT_TYPES[checked.kind],
        measured=checked.measured,
        now=now,
    )


def download_name(original: str, kind: str) -> str:
    """A safe file name for Content-Disposition, with the right extension."""
    stem = os.path.splitext(os.path.basename(original or ""))[0]
    stem = _UNSAFE.sub("", stem).strip(" .")[:80] or "slides"
    return f"{stem}.{kind}"
