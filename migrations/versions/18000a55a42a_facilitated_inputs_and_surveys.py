"""Facilitated inputs and survey answers: who recorded an input or a survey answer on a person's behalf, by which channel and when

Revision ID: 18000a55a42a
Revises: 0449f4c45bdf
Create Date: 2026-12-04 12:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "18000a55a42a"
down_revision = "0449f4c45bdf"
branch_labels = None
depends_on = None

CHANNEL_CHECK = "channel IS NULL OR channel IN ('in_person', 'phone', 'paper', 'sms')"
# Anonymous and public responses name nobody: not the person, not the facilitator.
RESPONSE_NAMED = (
    "registration_id IS NOT NULL OR "
    "(facilitated_by_id IS NULL AND channel IS NULL AND facilitated_at IS NULL)"
)


def _add_facilitation(batch_op, table: str) -> None:
    batch_op.add_column(sa.Column("facilitated_by_id", sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
    batch_op.add_column(
        sa.Column("facilitated_at", sa.DateTime(timezone=True), nullable=True)
    )
    batch_op.create_foreign_key(
        batch_op.f(f"fk_{table}_facilitated_by_id_users"),
        "users",
        ["facilitated_by_id"],
        ["id"],
        ondelete="SET NULL",
    )
    batch_op.create_check_constraint(batch_op.f(f"ck_{table}_channel"), CHANNEL_CHECK)


def _drop_facilitation(batch_op, table: str) -> None:
    batch_op.drop_constraint(batch_op.f(f"ck_{table}_channel"), type_="check")
    batch_op.drop_constraint(
        batch_op.f(f"fk_{table}_facilitated_by_id_users"), type_="foreignkey"
    )
    batch_op.drop_column("facilitated_at")
    batch_op.drop_column("channel")
    batch_op.drop_column("facilitated_by_id")


def upgrade():
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        _add_facilitation(batch_op, "inputs")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        _add_facilitation(batch_op, "survey_responses")
        batch_op.create_check_constraint(
            batch_op.f("ck_survey_responses_facilitated_named_only"), RESPONSE_NAMED
        )
    with op.batch_alter_table("survey_participations", schema=None) as batch_op:
        _add_facilitation(batch_op, "survey_participations")


def downgrade():
    with op.batch_alter_table("survey_participations", schema=None) as batch_op:
        _drop_facilitation(batch_op, "survey_participations")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_survey_responses_facilitated_named_only"), type_="check"
        )
        _drop_facilitation(batch_op, "survey_responses")
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        _drop_facilitation(batch_op, "inputs")
