"""Organiser content in several languages: a default language and other
languages per event, and each translatable row's texts in those languages

Revision ID: a3d5f7b9c1e2
Revises: e6c2a8d4f0b7
Create Date: 2026-12-04 03:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3d5f7b9c1e2"
down_revision = "e6c2a8d4f0b7"
branch_labels = None
depends_on = None

TRANSLATABLE = (
    "events",
    "agenda_sessions",
    "stakeholder_types",
    "registration_questions",
    "challenges",
    "surveys",
    "survey_questions",
    "survey_options",
    "reminder_plan_items",
)


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column(
                "default_language",
                sa.String(length=16),
                nullable=False,
                server_default="en",
            )
        )
        batch.add_column(
            sa.Column(
                "content_languages",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )
    for table in TRANSLATABLE:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "translations",
                    sa.JSON(),
                    nullable=False,
                    server_default=sa.text("'{}'"),
                )
            )


def downgrade():
    for table in reversed(TRANSLATABLE):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("translations")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("content_languages")
        batch.drop_column("default_language")
