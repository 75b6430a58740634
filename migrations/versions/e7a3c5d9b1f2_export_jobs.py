"""Export jobs: files prepared by the scheduler, kept per version of the event's data

Revision ID: e7a3c5d9b1f2
Revises: c3a7e5f9b2d4
Create Date: 2026-12-04 19:40:00.000000

``event_data_versions`` counts the changes to each event's data, moved by
triggers on the tables the report and the exports read
(``consult/data_versions.py``); ``export_jobs`` holds the report's PDF and
the full workbook being prepared or kept, per version.
"""

import sqlalchemy as sa
from alembic import op

from consult.data_versions import drop_statements, statements
from consult.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = "e7a3c5d9b1f2"
down_revision = "c3a7e5f9b2d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_data_versions",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_data_versions")),
    )
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", sa.String(length=40), nullable=False),
        sa.Column("data_version", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('report_pdf', 'workbook')", name=op.f("ck_export_jobs_kind")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_export_jobs_status"),
        ),
        sa.CheckConstraint(
            "progress >= 0 AND progress <= 100", name=op.f("ck_export_jobs_progress")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_export_jobs_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_export_jobs_file_id_stored_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_export_jobs_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
        sa.UniqueConstraint(
            "event_id",
            "kind",
            "params",
            "data_version",
            name=op.f("uq_export_jobs_event_id_kind_params_data_version"),
        ),
    )
    op.create_index(
        "ix_export_jobs_status_lease", "export_jobs", ["status", "lease_until"]
    )
    for statement in statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_export_jobs_status_lease", table_name="export_jobs")
    op.drop_table("export_jobs")
    op.drop_table("event_data_versions")
