"""Stored files and their bytes, in chunks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc


class StoredFile(db.Model):
    """One uploaded file: what it is; its bytes are in StoredFileChunk rows."""

    __tablename__ = "stored_files"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class StoredFileChunk(db.Model):
    """A slice of a stored file's bytes; seq 0, 1, 2... in order."""

    __tablename__ = "stored_file_chunks"
    __table_args__ = (CheckConstraint("seq >= 0", name="seq"),)

    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
