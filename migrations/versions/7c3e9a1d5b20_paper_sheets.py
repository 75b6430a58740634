"""Paper sheets: each printed sheet's reference code, and CSV imports of paper sheets

Revision ID: 7c3e9a1d5b20
Revises: 18000a55a42a
Create Date: 2026-12-04 13:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "7c3e9a1d5b20"
down_revision = "18000a55a42a"
branch_labels = None
depends_on = None


def _user_fk(table: str, column: str):
    return sa.ForeignKeyConstraint(
        [column],
        ["users.id"],
        name=op.f(f"fk_{table}_{column}_users"),
        ondelete="SET NULL",
    )


def upgrade():
    op.create_table(
        "paper_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('R', 'P', 'S')", name=op.f("ck_paper_sheets_kind")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_paper_sheets_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_paper_sheets_survey_id_surveys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_paper_sheets_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        _user_fk("paper_sheets", "printed_by_id"),
        _user_fk("paper_sheets", "entered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_sheets")),
        sa.UniqueConstraint(
            "event_id", "number", name=op.f("uq_paper_sheets_event_id_number")
        ),
    )
    op.create_index(
        op.f("ix_paper_sheets_event_id"), "paper_sheets", ["event_id"], unique=False
    )
    op.create_table(
        "paper_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_paper_imports_event_id_events"),
            ondelete="CASCADE",
        ),
        _user_fk("paper_imports", "uploaded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_imports")),
        sa.UniqueConstraint("token", name=op.f("uq_paper_imports_token")),
    )
    op.create_index(
        op.f("ix_paper_imports_event_id"), "paper_imports", ["event_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_paper_imports_event_id"), table_name="paper_imports")
    op.drop_table("paper_imports")
    op.drop_index(op.f("ix_paper_sheets_event_id"), table_name="paper_sheets")
    op.drop_table("paper_sheets")
