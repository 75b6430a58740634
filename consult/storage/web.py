"""A stored file as an HTTP download, streamed chunk by chunk."""

from __future__ import annotations

from flask import Response, stream_with_context

from consult.storage.models import StoredFile
from consult.storage.services import iter_chunks


def download_response(stored: StoredFile, *, download_name: str) -> Response:
    """An attachment (never shown inline), never kept by shared caches."""
    response = Response(
        stream_with_context(iter_chunks(stored.id)),
        mimetype=stored.content_type,
        direct_passthrough=True,
    )
    response.content_length = stored.size_bytes
    response.headers.set("Content-Disposition", "attachment", filename=download_name)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
