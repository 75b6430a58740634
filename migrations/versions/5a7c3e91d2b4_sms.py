"""SMS: a registration's SMS consent and STOP, public registrations by phone alone, text messages in the outbox, SMS texts of reminders

Revision ID: 5a7c3e91d2b4
Revises: 7c3e9a1d5b20
Create Date: 2026-12-04 12:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5a7c3e91d2b4"
down_revision = "7c3e9a1d5b20"
branch_labels = None
depends_on = None

CONTACT_BEFORE = "email IS NOT NULL OR assisted OR erased_at IS NOT NULL"
CONTACT_AFTER = (
    "email IS NOT NULL OR phone <> '' OR assisted OR erased_at IS NOT NULL"
)
PHONE_ONLY = "email IS NULL AND NOT assisted AND phone <> ''"


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sms_consented_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("sms_stopped_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint(
            batch_op.f("ck_registrations_email_unless_assisted"), type_="check"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_registrations_contact_unless_assisted"), CONTACT_AFTER
        )
    op.create_index(
        "uq_registrations_event_phone_only",
        "registrations",
        ["event_id", "phone"],
        unique=True,
        sqlite_where=sa.text(PHONE_ONLY),
        postgresql_where=sa.text(PHONE_ONLY),
    )
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel", sa.String(length=10), server_default="email", nullable=False
            )
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_outbound_emails_channel"), "channel IN ('email', 'sms')"
        )
    with op.batch_alter_table("reminder_plan_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sms_body", sa.Text(), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("reminder_plan_items", schema=None) as batch_op:
        batch_op.drop_column("sms_body")
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_outbound_emails_channel"), type_="check"
        )
        batch_op.drop_column("channel")
    op.drop_index("uq_registrations_event_phone_only", table_name="registrations")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_registrations_contact_unless_assisted"), type_="check"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_registrations_email_unless_assisted"), CONTACT_BEFORE
        )
        batch_op.drop_column("sms_stopped_at")
        batch_op.drop_column("sms_consented_at")
