"""Saving, reading and deleting stored files, a chunk at a time.

Callers flush, never commit: a file saved in a transaction that rolls back
leaves nothing behind, and a file deleted with the row that pointed at it
goes in the same commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import delete, insert, select

from consult.extensions import db
from consult.storage.models import StoredFile, StoredFileChunk

CHUNK_BYTES = 1024 * 1024


class FileTooLarge(Exception):
    """More bytes arrived than the limit allows; nothing was stored."""

    def __init__(self, limit: int):
        super().__init__(f"file larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Measured:
    size: int
    sha256: str


def measure(stream: BinaryIO, limit: int) -> Measured:
    """Size and SHA-256 of a seekable stream, read from its start.

    Reads a chunk at a time and stops as soon as the limit is passed
    (FileTooLarge), so a huge file costs at most one chunk more than the
    limit. Werkzeug hands uploads over as seekable files (spooled to a
    temporary file past 500 KB), so the type can be checked afterwards and
    the bytes read again to be stored.
    """
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(limit)
        digest.update(chunk)
    stream.seek(0)
    return Measured(size=size, sha256=digest.hexdigest())


def save_file(
    stream: BinaryIO, *, content_type: str, measured: Measured, now: datetime
) -> StoredFile:
    """Store a measured stream's bytes; returns the flushed StoredFile.

    Each chunk is inserted on its own (not kept as an ORM object), so the
    session never holds more than one chunk of the file.
    """
    stored = StoredFile(
        content_type=content_type,
        size_bytes=measured.size,
        sha256=measured.sha256,
        created_at=now,
    )
    db.session.add(stored)
    db.session.flush()
    stream.seek(0)
    digest, size, seq = hashlib.sha256(), 0, 0
    while chunk := stream.read(CHUNK_BYTES):
        db.session.execute(
            insert(StoredFileChunk).values(file_id=stored.id, seq=seq, data=chunk)
        )
        digest.update(chunk)
        size += len(chunk)
        seq += 1
    # The stream changed between measuring and storing: refuse to keep it.
    if (size, digest.hexdigest()) != (measured.size, measured.sha256):
        raise ValueError("the upload changed while it was being stored")
    return stored


def iter_chunks(file_id: int) -> Iterator[bytes]:
    """The file's bytes, one chunk per query, in order."""
    seq = 0
    while True:
        data = db.session.scalar(
            select(StoredFileChunk.data).where(
                StoredFileChunk.file_id == file_id, StoredFileChunk.seq == seq
            )
        )
        if data is None:
            return
        yield bytes(data)
        seq += 1


def read_file(file_id: int) -> bytes:
    """The whole file (small files, tests and exports)."""
    return b"".join(iter_chunks(file_id))


def delete_file(file_id: int | None) -> None:
    """Remove a file and its bytes, once nothing points at it any more."""
    if file_id is None:
        return
    db.session.flush()
    db.session.execute(
        delete(StoredFileChunk).where(StoredFileChunk.file_id == file_id)
    )
    db.session.execute(delete(StoredFile).where(StoredFile.id == file_id))
