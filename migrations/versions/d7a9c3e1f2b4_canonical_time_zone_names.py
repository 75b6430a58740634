"""Stored time zones use canonical names (Asia/Kolkata, not Asia/Calcutta)

The pickers now offer canonical zone names only (zone.tab's, plus UTC). An
event, registration or speaker saved earlier with an alias that the IANA
database keeps for old data (Asia/Calcutta, Europe/Kiev, US/Eastern) gets the
zone it links to, so that every form shows it selected and every page names
the zone as the pickers do. The instants are unchanged: a link is the same zone.

No downgrade: the old names were aliases of the same zones.

Revision ID: d7a9c3e1f2b4
Revises: c4d1e2f3a5b6
Create Date: 2026-12-03 08:50:00.000000

"""

from importlib import resources

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d7a9c3e1f2b4"
down_revision = "c4d1e2f3a5b6"
branch_labels = None
depends_on = None

COLUMNS = (
    ("events", "timezone"),
    ("registrations", "timezone"),
    ("contribution_speakers", "timezone"),
)
UTC_ALIASES = ("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal",
               "Zulu", "GMT", "Etc/GMT", "GMT0", "GMT+0", "GMT-0", "Etc/GMT0",
               "Etc/GMT+0", "Etc/GMT-0", "Greenwich", "Etc/Greenwich")  # fmt: skip


def _read(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")


def _aliases() -> dict[str, str]:
    """Alias -> canonical zone, from the tzdata package the app runs with."""
    canonical = {
        line.split("\t")[2]
        for line in _read("zone.tab").splitlines()
        if line and not line.startswith("#")
    } | {"UTC"}
    mapping = {name: "UTC" for name in UTC_ALIASES}
    for line in _read("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()
            if target in canonical and link not in canonical:
                mapping[link] = target
    return mapping


def upgrade():
    conn = op.get_bind()
    aliases = _aliases()
    for table_name, column in COLUMNS:
        table = sa.table(table_name, sa.column(column, sa.String))
        stored = conn.execute(
            sa.select(table.c[column])
            .where(table.c[column].in_(list(aliases)))
            .distinct()
        ).scalars()
        for alias in list(stored):
            conn.execute(
                table.update()
                .where(table.c[column] == alias)
                .values({column: aliases[alias]})
            )


def downgrade():
    pass
