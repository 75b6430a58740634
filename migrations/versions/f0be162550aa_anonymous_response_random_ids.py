"""Anonymous survey responses and their answers get random negative ids

Their ids came from the same sequences as named responses, so the order of
the ids placed an anonymous response between the named ones submitted before
and after it (and among the other anonymous ones, in submission order, which
the participation records give names to). New anonymous responses get random
negative ids (consult.surveys.services.answering); this renumbers the stored
ones and their answers the same way. No column changes.

Revision ID: f0be162550aa
Revises: c7e1a9d3f5b2
Create Date: 2026-12-03 23:20:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f0be162550aa"
down_revision = "c7e1a9d3f5b2"
branch_labels = None
depends_on = None

NEGATIVE_ID_SPAN = 2**31 - 1


def _fresh_ids(conn, table: str, count: int) -> list[int]:
    taken = set(
        conn.execute(sa.text(f"SELECT id FROM {table} WHERE id < 0")).scalars()
    )
    chosen: list[int] = []
    while len(chosen) < count:
        candidate = -1 - secrets.randbelow(NEGATIVE_ID_SPAN)
        if candidate not in taken:
            taken.add(candidate)
            chosen.append(candidate)
    return chosen


def upgrade():
    conn = op.get_bind()
    old_responses = list(
        conn.execute(
            sa.text(
                "SELECT r.id FROM survey_responses r "
                "JOIN surveys s ON s.id = r.survey_id "
                "WHERE s.anonymous = :yes AND r.id > 0 ORDER BY r.id"
            ),
            {"yes": True},
        ).scalars()
    )
    if not old_responses:
        return
    new_responses = _fresh_ids(conn, "survey_responses", len(old_responses))
    for old, new in zip(old_responses, new_responses, strict=True):
        conn.execute(
            sa.text(
                "INSERT INTO survey_responses (id, survey_id, registration_id, "
                "stakeholder_type_id, status, submitted_at) "
                "SELECT :new, survey_id, registration_id, stakeholder_type_id, "
                "status, submitted_at FROM survey_responses WHERE id = :old"
            ),
            {"old": old, "new": new},
        )
        conn.execute(
            sa.text("UPDATE survey_answers SET response_id = :new WHERE response_id = :old"),
            {"old": old, "new": new},
        )
        conn.execute(sa.text("DELETE FROM survey_responses WHERE id = :old"), {"old": old})
    old_answers = list(
        conn.execute(
            sa.text(
                "SELECT id FROM survey_answers WHERE response_id < 0 AND id > 0 ORDER BY id"
            )
        ).scalars()
    )
    new_answers = _fresh_ids(conn, "survey_answers", len(old_answers))
    for old, new in zip(old_answers, new_answers, strict=True):
        conn.execute(
            sa.text("UPDATE survey_answers SET id = :new WHERE id = :old"),
            {"old": old, "new": new},
        )


def downgrade():
    # The random ids are valid ids for the earlier code too; nothing to undo.
    pass
