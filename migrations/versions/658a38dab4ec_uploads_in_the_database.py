"""Uploaded slides move from the instance folder into the database

Slides used to be written to `<instance>/contributions/<name>` on the web host
that received them, so the other hosts behind a load balancer could not serve
them. They are now `stored_files` rows with their bytes in 1 MiB
`stored_file_chunks`; this copies every file found on the disk of the host that
runs the upgrade into those tables and points its proposal at it. A proposal
whose file is not on that disk loses its slides (logged with its id): its bytes
exist nowhere this migration can reach. The files on disk are left in place,
to be deleted once the upgrade is done (README: Deploying).

Downgrade writes the files back to the instance folder.

Revision ID: 658a38dab4ec
Revises: 0c3e5a7d9b21
Create Date: 2026-12-03 08:06:11.501147

"""

import hashlib
import logging
import os
import re
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = "658a38dab4ec"
down_revision = "0c3e5a7d9b21"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CHUNK = 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLD_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|pptx|odp)")
OLD_CHECK = "(slides_name IS NULL) = (slides_size IS NULL)"
NEW_CHECK = "(slides_file_id IS NULL) = (slides_size IS NULL)"

proposals = sa.table(
    "contribution_proposals",
    sa.column("id", sa.Integer),
    sa.column("slides_name", sa.String),
    sa.column("slides_file_id", sa.Integer),
    sa.column("slides_type", sa.String),
    sa.column("slides_size", sa.Integer),
    sa.column("slides_original", sa.String),
)
files = sa.table(
    "stored_files",
    sa.column("id", sa.Integer),
    sa.column("content_type", sa.String),
    sa.column("size_bytes", sa.BigInteger),
    sa.column("sha256", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
chunks = sa.table(
    "stored_file_chunks",
    sa.column("file_id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("data", sa.LargeBinary),
)


def _folder() -> str:
    return os.path.join(current_app.instance_path, "contributions")


def _now(conn) -> datetime:
    now = datetime.now(UTC).replace(microsecond=0)
    # SQLite keeps no zone: the application's column type stores naive UTC.
    return now.replace(tzinfo=None) if conn.dialect.name == "sqlite" else now


def _copy_in(conn, proposal_id: int, path: str, kind: str) -> None:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            size += len(block)
        file_id = conn.execute(
            files.insert()
            .values(
                content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
                size_bytes=size,
                sha256=digest.hexdigest(),
                created_at=_now(conn),
            )
            .returning(files.c.id)
        ).scalar_one()
        handle.seek(0)
        seq = 0
        while block := handle.read(CHUNK):
            conn.execute(chunks.insert().values(file_id=file_id, seq=seq, data=block))
            seq += 1
    conn.execute(
        proposals.update()
        .where(proposals.c.id == proposal_id)
        .values(slides_file_id=file_id, slides_size=size)
    )


def _files_into_database(conn) -> None:
    rows = conn.execute(
        sa.select(proposals.c.id, proposals.c.slides_name, proposals.c.slides_type)
        .where(proposals.c.slides_name.is_not(None))
        .order_by(proposals.c.id)
    ).all()
    copied = 0
    for proposal_id, name, kind in rows:
        path = os.path.join(_folder(), name)
        if OLD_NAME.fullmatch(name) and os.path.isfile(path):
            _copy_in(conn, proposal_id, path, kind)
            copied += 1
            continue
        log.warning(
            "Proposal %s: slides file %s is not in %s; the proposal keeps no slides.",
            proposal_id,
            name,
            _folder(),
        )
        conn.execute(
            proposals.update()
            .where(proposals.c.id == proposal_id)
            .values(slides_size=None, slides_original="", slides_type="")
        )
    if rows:
        log.info(
            "Copied %d slides files from %s into the database; delete that folder "
            "once the upgrade is done.",
            copied,
            _folder(),
        )


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_stored_files_sha256")),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_stored_files_size")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "stored_file_chunks",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_stored_file_chunks_seq")),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_stored_file_chunks_file_id_stored_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "seq", name=op.f("pk_stored_file_chunks")),
    )
    with op.batch_alter_table("contribution_proposals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_contribution_proposals_slides_complete"), type_="check"
        )
        batch_op.add_column(sa.Column("slides_file_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_contribution_proposals_slides_file_id"), ["slides_file_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contribution_proposals_slides_file_id_stored_files"),
            "stored_files",
            ["slides_file_id"],
            ["id"],
        )
    _files_into_database(op.get_bind())
    with op.batch_alter_table("contribution_proposals", schema=None) as batch_op:
        batch_op.drop_column("slides_name")
        batch_op.create_check_constraint(
            batch_op.f("ck_contribution_proposals_slides_complete"), NEW_CHECK
        )


def _files_onto_disk(conn) -> None:
    rows = conn.execute(
        sa.select(proposals.c.id, proposals.c.slides_file_id, proposals.c.slides_type)
        .where(proposals.c.slides_file_id.is_not(None))
        .order_by(proposals.c.id)
    ).all()
    if rows:
        os.makedirs(_folder(), exist_ok=True)
    for proposal_id, file_id, kind in rows:
        name = f"{secrets.token_hex(16)}.{kind}"
        with open(os.path.join(_folder(), name), "xb") as handle:
            for (block,) in conn.execute(
                sa.select(chunks.c.data)
                .where(chunks.c.file_id == file_id)
                .order_by(chunks.c.seq)
            ):
                handle.write(block)
        conn.execute(
            proposals.update()
            .where(proposals.c.id == proposal_id)
            .values(slides_name=name)
        )


def downgrade():
    with op.batch_alter_table("contribution_proposals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_contribution_proposals_slides_complete"), type_="check"
        )
        batch_op.add_column(
            sa.Column("slides_name", sa.VARCHAR(length=80), nullable=True)
        )
    _files_onto_disk(op.get_bind())
    with op.batch_alter_table("contribution_proposals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_contribution_proposals_slides_file_id_stored_files"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("uq_contribution_proposals_slides_file_id"), type_="unique"
        )
        batch_op.drop_column("slides_file_id")
        batch_op.create_check_constraint(
            batch_op.f("ck_contribution_proposals_slides_complete"), OLD_CHECK
        )
    op.drop_table("stored_file_chunks")
    op.drop_table("stored_files")
