"""An event's email sender: the From display name and Reply-To of its emails, kept on each outbox row

Revision ID: b8e4f1a2c6d9
Revises: c2e4a6b8d0f1
Create Date: 2026-12-04 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8e4f1a2c6d9"
down_revision = "c2e4a6b8d0f1"
branch_labels = None
depends_on = None

TABLES = ("events", "outbound_emails")
COLUMNS = {
    "events": (("email_sender_name", 120), ("email_reply_to", 254)),
    "outbound_emails": (("sender_name", 120), ("reply_to", 254)),
}


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in COLUMNS[table]:
                batch_op.add_column(
                    sa.Column(
                        name,
                        sa.String(length=length),
                        server_default="",
                        nullable=False,
                    )
                )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _length in reversed(COLUMNS[table]):
                batch_op.drop_column(name)
