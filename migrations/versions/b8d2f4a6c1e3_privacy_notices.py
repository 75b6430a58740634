"""Privacy notices: every version of an event's notice, so each consent points to a text

Revision ID: b8d2f4a6c1e3
Revises: b8e4f1a2c6d9
Create Date: 2026-12-04 16:10:00.000000

Existing events get version 1, the default notice of this moment in English
(built from the event's title and its owner), and their current version
becomes "1": consents given before keep their recorded label.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8d2f4a6c1e3"
down_revision = "b8e4f1a2c6d9"
branch_labels = None
depends_on = None

DEFAULT = """## Who is responsible

{name} organises “{title}” and is responsible for the personal data collected for it (the controller).

Contact: {email}

## What is kept

What you give when you register: your name, email address, mobile number, organisation, job title, country, city, time zone, language, stakeholder group, your answers to the form's questions, your access needs and your consents. If you take part: your attendance, your inputs and priorities on the challenges, and your survey answers.

## Why

To run this event and consultation: seats and the waiting list, your confirmation, calendar invitation, joining details, reminders and follow-ups (by SMS only if you ask for it), and the results of the consultation by stakeholder group. Other participants see your name only if you agree to be listed.

## Who sees it

The event's organisers, and the facilitator who registered you if one did. Messages are sent through this site's email and SMS services.

## How long it is kept

Until you erase it: Consult deletes nothing on a schedule. Erasing removes your details, answers, priorities and supports and the messages addressed to you; what remains of your registration is an empty record that counts in no figure. Inputs you submitted stay, without your name; answers to anonymous surveys are not linked to you and stay.

## Your rights

With the personal link in your confirmation you can see and download your data, correct your details, cancel your registration and erase your data. Each optional message has an unsubscribe link; reply STOP to an SMS to end them. For anything else, or to object, write to the organisers; you may also complain to your data protection authority.
"""


def upgrade():
    notices = op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text_md", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "number >= 1", name=op.f("ck_privacy_notices_number_positive")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_notices_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_privacy_notices_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint(
            "event_id", "number", name=op.f("uq_privacy_notices_event_id_number")
        ),
    )
    conn = op.get_bind()
    events = conn.execute(
        sa.text(
            "SELECT events.id, events.title, events.owner_id, users.name, users.email"
            " FROM events LEFT JOIN users ON users.id = events.owner_id"
        )
    ).all()
    now = datetime.now(timezone.utc)
    rows = [
        {
            "event_id": row.id,
            "number": 1,
            "text_md": DEFAULT.format(
                name=row.name or row.email or "The organisers",
                title=row.title,
                email=row.email or "",
            ),
            "created_at": now,
            "created_by_id": row.owner_id,
        }
        for row in events
    ]
    if rows:
        op.bulk_insert(notices, rows)
    op.execute("UPDATE events SET privacy_notice_version = '1'")


def downgrade():
    op.drop_table("privacy_notices")
