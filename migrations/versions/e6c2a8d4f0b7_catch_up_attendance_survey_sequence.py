"""Catch-up margin per plan item, attendance declared complete, survey invitations; seat times backfilled

Revision ID: e6c2a8d4f0b7
Revises: f0be162550aa
Create Date: 2026-12-03 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e6c2a8d4f0b7"
down_revision = "f0be162550aa"
branch_labels = None
depends_on = None

registrations = sa.table(
    "registrations",
    sa.column("status", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("confirmed_at", sa.DateTime(timezone=True)),
)
events = sa.table(
    "events",
    sa.column("id", sa.Integer()),
    sa.column("attendance_completed_at", sa.DateTime(timezone=True)),
    sa.column("attendance_completed_via", sa.String()),
)
imports = sa.table(
    "attendance_imports",
    sa.column("event_id", sa.Integer()),
    sa.column("imported_at", sa.DateTime(timezone=True)),
)
emails = sa.table(
    "outbound_emails",
    sa.column("id", sa.Integer()),
    sa.column("dedup_key", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
invitations = sa.table(
    "survey_invitations",
    sa.column("survey_id", sa.Integer()),
    sa.column("registration_id", sa.Integer()),
    sa.column("invited_at", sa.DateTime(timezone=True)),
    sa.column("via", sa.String()),
    sa.column("email_id", sa.Integer()),
)


def upgrade():
    with op.batch_alter_table("reminder_plan_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("catch_up_margin_minutes", sa.Integer(), nullable=True)
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attendance_completed_at", sa.DateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "attendance_completed_via",
                sa.String(length=20),
                server_default="",
                nullable=False,
            )
        )
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "via IN ('invitation', 'follow_up')", name=op.f("ck_survey_invitations_via")
        ),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["outbound_emails.id"],
            name=op.f("fk_survey_invitations_email_id_outbound_emails"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_survey_invitations_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_invitations_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint(
            "survey_id",
            "registration_id",
            name=op.f("uq_survey_invitations_survey_id_registration_id"),
        ),
    )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_registration_id"),
            ["registration_id"],
            unique=False,
        )
    _backfill()


def _backfill():
    # Reminders count from the seat: a confirmed row without its time got it
    # when it was created (as far as anyone can tell now).
    op.execute(
        registrations.update()
        .where(
            registrations.c.status == "confirmed",
            registrations.c.confirmed_at.is_(None),
        )
        .values(confirmed_at=registrations.c.created_at)
    )
    # An event whose attendance was imported counted as recorded until now.
    first_import = (
        sa.select(sa.func.min(imports.c.imported_at))
        .where(imports.c.event_id == events.c.id)
        .scalar_subquery()
    )
    op.execute(
        events.update()
        .where(
            sa.exists().where(imports.c.event_id == events.c.id),
            events.c.attendance_completed_at.is_(None),
        )
        .values(attendance_completed_at=first_import, attendance_completed_via="import")
    )
    # Invitations already queued: survey-invitation:<survey>:<registration>.
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(emails.c.id, emails.c.dedup_key, emails.c.created_at).where(
            emails.c.dedup_key.like("survey-invitation:%")
        )
    ).all()
    seen = set()
    values = []
    for email_id, key, created_at in rows:
        parts = key.split(":")
        if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
            continue
        pair = (int(parts[1]), int(parts[2]))
        if pair in seen:
            continue
        seen.add(pair)
        values.append(
            {
                "survey_id": pair[0],
                "registration_id": pair[1],
                "invited_at": created_at,
                "via": "invitation",
                "email_id": email_id,
            }
        )
    existing_surveys = {r[0] for r in bind.execute(sa.text("SELECT id FROM surveys"))}
    existing_people = {
        r[0] for r in bind.execute(sa.text("SELECT id FROM registrations"))
    }
    values = [
        v
        for v in values
        if v["survey_id"] in existing_surveys
        and v["registration_id"] in existing_people
    ]
    if values:
        op.bulk_insert(invitations, values)


def downgrade():
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_registration_id"))
    op.drop_table("survey_invitations")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("attendance_completed_via")
        batch_op.drop_column("attendance_completed_at")
    with op.batch_alter_table("reminder_plan_items", schema=None) as batch_op:
        batch_op.drop_column("catch_up_margin_minutes")
