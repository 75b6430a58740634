"""Export log: the registrations page's CSV is logged as "registrant_list"

Revision ID: f98e74b9c47d
Revises: 93b2ac0f7e35
Create Date: 2026-11-28 21:50:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f98e74b9c47d"
down_revision = "93b2ac0f7e35"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('registrants', 'inputs', 'priorities', 'surveys', 'workbook')"
NEW_KINDS = (
    "kind IN ('registrants', 'inputs', 'priorities', 'surveys', 'workbook', "
    "'registrant_list')"
)


def upgrade():
    with op.batch_alter_table("dashboard_export_logs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_dashboard_export_logs_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_dashboard_export_logs_kind"), NEW_KINDS
        )


def downgrade():
    # The log is a record of who took personal data: keep its rows, under the
    # nearest older kind.
    op.execute(
        "UPDATE dashboard_export_logs SET kind = 'registrants' "
        "WHERE kind = 'registrant_list'"
    )
    with op.batch_alter_table("dashboard_export_logs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_dashboard_export_logs_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_dashboard_export_logs_kind"), OLD_KINDS
        )
