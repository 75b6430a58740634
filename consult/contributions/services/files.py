"""Slides: checked from their content, stored outside static with a generated name.

Only PDF, PPTX and ODP are taken. The type is read from the bytes, never from
the name or the browser's Content-Type: a PDF starts with ``%PDF-``; PPTX and
ODP are ZIP containers whose entries say what they hold.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from consult.errors import ValidationFailed

DEFAULT_MAX_MB = 20
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Upload:
    """What the browser sent: the name it gave and the bytes."""

    filename: str
    content: bytes


def max_bytes() -> int:
    mb = current_app.config.get("CONTRIBUTION_MAX_FILE_MB", DEFAULT_MAX_MB)
    return int(float(mb) * 1024 * 1024)


def detect_type(content: bytes) -> str | None:
    """'pdf', 'pptx', 'odp' or None, from the file's bytes."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.read("mimetype").strip() == ODP_MIMETYPE:
                    return "odp"
                return None
            if "[Content_Types].xml" in names and any(
                n.startswith("ppt/") for n in names
            ):
                return "pptx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def check_upload(upload: Upload, field: str = "slides") -> str:
    """The file's type, or ValidationFailed (too large, empty, or not slides)."""
    limit = max_bytes()
    if len(upload.content) > limit:
        raise ValidationFailed(
            _(
                "This file is larger than %(mb)s MB. Please send a smaller file "
                "(for example, compress the images or export a PDF).",
                mb=current_app.config.get("CONTRIBUTION_MAX_FILE_MB", DEFAULT_MAX_MB),
            ),
            field=field,
        )
    if not upload.content:
        raise ValidationFailed(_("This file is empty."), field=field)
    kind = detect_type(upload.content)
    if kind is None:
        raise ValidationFailed(
            _(
                "Only PDF, PowerPoint (.pptx) and OpenDocument (.odp) slides are "
                "accepted; this file is none of them, whatever its name says."
            ),
            field=field,
        )
    return kind


def storage_dir() -> str:
    """Under the instance folder, never under static."""
    return os.path.join(current_app.instance_path, "contributions")


def store(upload: Upload, kind: str) -> str:
    """Write the bytes under a generated name; returns that name."""
    name = f"{secrets.token_hex(16)}.{kind}"
    folder = storage_dir()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "xb") as handle:
        handle.write(upload.content)
    return name


def path_of(name: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|pptx|odp)", name or ""):
        raise ValueError("not a stored slides name")
    return os.path.join(storage_dir(), name)


def discard(name: str | None) -> None:
    """Remove a stored file (after the row stopped pointing at it)."""
    if not name:
        return
    with contextlib.suppress(FileNotFoundError, ValueError):
        os.remove(path_of(name))


def download_name(original: str, kind: str) -> str:
    """A safe file name for Content-Disposition, with the right extension."""
    stem = os.path.splitext(os.path.basename(original or ""))[0]
    stem = _UNSAFE.sub("", stem).strip(" .")[:80] or "slides"
    return f"{stem}.{kind}"
