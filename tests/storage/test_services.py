"""Stored files: saved and read a chunk at a time, the limit applied while reading."""

import io

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.storage.models import StoredFile, StoredFileChunk
from consult.storage.services import (
    CHUNK_BYTES,
    FileTooLarge,
    delete_file,
    iter_chunks,
    measure,
    read_file,
    save_file,
)


class CountingStream(io.BytesIO):
    """An upload that counts the bytes read from it."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def counts():
    return (
        db.session.scalar(select(func.count()).select_from(StoredFile)),
        db.session.scalar(select(func.count()).select_from(StoredFileChunk)),
    )


def test_reading_stops_one_chunk_after_the_limit():
    stream = CountingStream(b"x" * (10 * CHUNK_BYTES))
    with pytest.raises(FileTooLarge):
        measure(stream, limit=2 * CHUNK_BYTES)
    assert stream.read_bytes == 3 * CHUNK_BYTES


def test_saved_then_deleted_with_its_bytes(app, now):
    content = bytes(range(256)) * 9000
    stream = io.BytesIO(content)
    measured = measure(stream, 10**9)
    stored = save_file(
        stream, content_type="application/pdf", measured=measured, now=now
    )
    db.session.commit()
    assert counts() == (1, 3) and read_file(stored.id) == content
    sizes = [len(chunk) for chunk in iter_chunks(stored.id)]
    assert sizes == [CHUNK_BYTES, CHUNK_BYTES, len(content) - 2 * CHUNK_BYTES]
    delete_file(stored.id)
    db.session.commit()
    assert counts() == (0, 0)


def test_a_rolled_back_save_leaves_nothing(app, now):
    stream = io.BytesIO(b"%PDF-1.4 data")
    measured = measure(stream, 10**9)
    save_file(stream, content_type="application/pdf", measured=measured, now=now)
    db.session.rollback()
    assert counts() == (0, 0)


def test_a_stream_that_changed_after_measuring_is_refused(app, now):
    stream = io.BytesIO(b"%PDF-1.4 data")
    measured = measure(stream, 10**9)
    stream.write(b"more")
    with pytest.raises(ValueError):
        save_file(stream, content_type="application/pdf", measured=measured, now=now)
    db.session.rollback()
    assert counts() == (0, 0)
