"""Programmes, city records and city pairs

Revision ID: d4a9e2b7c1f6
Revises: c8f2a6d4e1b3
Create Date: 2026-12-05 06:00:00.000000

Programmes with their organisers, template event and city pairs;
``events.programme_id``; a city's region, population and representative;
``partner_cities.city_id``, filled for existing rows: each partner name gets
the city record an event naming it as host would get (the same slug rule,
``consult.cities.services.city_slug``). On SQLite the batch rebuilds
partner_cities, which drops the data-version triggers on it: they are made
again.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from consult import data_versions
from consult.cities.services import SLUG_MAX, city_slug
from consult.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = "d4a9e2b7c1f6"
down_revision = "c8f2a6d4e1b3"
branch_labels = None
depends_on = None


def _partner_triggers_again() -> None:
    """SQLite: the data-version triggers on partner_cities, after a rebuild."""
    if op.get_bind().dialect.name == "postgresql":
        return
    for name in data_versions.trigger_names():
        if name.startswith("partner_cities_"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in data_versions.statements("sqlite"):
        if " ON partner_cities " in statement:
            op.execute(statement)


def _tables() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description_md", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_programmes_slug")),
    )
    op.create_table(
        "programme_organisers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_organisers_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_programme_organisers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_organisers")),
        sa.UniqueConstraint(
            "programme_id",
            "user_id",
            name=op.f("uq_programme_organisers_programme_id_user_id"),
        ),
    )
    op.create_index(
        op.f("ix_programme_organisers_user_id"),
        "programme_organisers",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "programme_templates",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_programme_templates_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_templates_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", name=op.f("pk_programme_templates")),
    )
    op.create_index(
        op.f("ix_programme_templates_event_id"),
        "programme_templates",
        ["event_id"],
        unique=False,
    )
    op.create_table(
        "city_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("host_city_id", sa.Integer(), nullable=False),
        sa.Column("partner_city_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "host_city_id <> partner_city_id", name=op.f("ck_city_pairs_two_cities")
        ),
        sa.ForeignKeyConstraint(
            ["host_city_id"],
            ["cities.id"],
            name=op.f("fk_city_pairs_host_city_id_cities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_city_id"],
            ["cities.id"],
            name=op.f("fk_city_pairs_partner_city_id_cities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_city_pairs_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_pairs")),
        sa.UniqueConstraint(
            "programme_id",
            "host_city_id",
            "partner_city_id",
            name=op.f("uq_city_pairs_programme_id_host_city_id_partner_city_id"),
        ),
    )
    op.create_index(op.f("ix_city_pairs_host_city_id"), "city_pairs", ["host_city_id"])
    op.create_index(
        op.f("ix_city_pairs_partner_city_id"), "city_pairs", ["partner_city_id"]
    )


def _columns() -> None:
    with op.batch_alter_table("cities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "region", sa.String(length=120), server_default="", nullable=False
            )
        )
        batch_op.add_column(sa.Column("population", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("representative_user_id", sa.Integer(), nullable=True)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_cities_population_not_negative"),
            "population IS NULL OR population >= 0",
        )
        batch_op.create_index(
            batch_op.f("ix_cities_representative_user_id"), ["representative_user_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cities_representative_user_id_users"),
            "users",
            ["representative_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_programme_id"), ["programme_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_events_programme_id_programmes"),
            "programmes",
            ["programme_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("partner_cities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_partner_cities_city_id"), ["city_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_partner_cities_city_id_cities"),
            "cities",
            ["city_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _partner_triggers_again()


def _city_id(conn, name: str, country: str, now) -> int:
    """The city record a host city of this name would get (city_for_host)."""
    rows = conn.execute(
        sa.text("SELECT id, country FROM cities WHERE lower(name) = :name ORDER BY id"),
        {"name": name.lower()},
    ).all()
    for city_id, theirs in rows:
        if not country or not theirs or theirs.lower() == country.lower():
            return city_id
    base = city_slug(name)
    taken = {
        slug
        for (slug,) in conn.execute(
            sa.text("SELECT slug FROM cities WHERE slug LIKE :base"),
            {"base": f"{base}%"},
        )
    }
    slug = base
    if slug in taken and country:
        slug = f"{base}-{city_slug(country)}"[:SLUG_MAX]
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    conn.execute(
        sa.text(
            "INSERT INTO cities (slug, name, country, timezone, region, created_at)"
            " VALUES (:slug, :name, :country, :zone, '', :now)"
        ).bindparams(sa.bindparam("now", type_=UTCDateTime())),
        {"slug": candidate, "name": name, "country": country, "zone": "UTC", "now": now},
    )
    return conn.execute(
        sa.text("SELECT id FROM cities WHERE slug = :slug"), {"slug": candidate}
    ).scalar_one()


def _link_partner_rows() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = conn.execute(
        sa.text(
            "SELECT p.id, p.name, p.country FROM partner_cities p"
            " ORDER BY p.id"
        )
    ).all()
    for row_id, name, country in rows:
        name, country = (
            " ".join((name or "").split()),
            " ".join((country or "").split()),
        )
        if not name:
            continue
        city_id = _city_id(conn, name, country, now)
        conn.execute(
            sa.text("UPDATE partner_cities SET city_id = :city WHERE id = :id"),
            {"city": city_id, "id": row_id},
        )


def upgrade():
    _tables()
    _columns()
    _link_partner_rows()


def downgrade():
    with op.batch_alter_table("partner_cities", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_partner_cities_city_id_cities"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_partner_cities_city_id"))
        batch_op.drop_column("city_id")
    _partner_triggers_again()
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_events_programme_id_programmes"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_events_programme_id"))
        batch_op.drop_column("programme_id")
    with op.batch_alter_table("cities", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cities_representative_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_cities_representative_user_id"))
        batch_op.drop_constraint(
            batch_op.f("ck_cities_population_not_negative"), type_="check"
        )
        batch_op.drop_column("representative_user_id")
        batch_op.drop_column("population")
        batch_op.drop_column("region")
    op.drop_index(op.f("ix_city_pairs_partner_city_id"), table_name="city_pairs")
    op.drop_index(op.f("ix_city_pairs_host_city_id"), table_name="city_pairs")
    op.drop_table("city_pairs")
    op.drop_index(
        op.f("ix_programme_templates_event_id"), table_name="programme_templates"
    )
    op.drop_table("programme_templates")
    op.drop_index(
        op.f("ix_programme_organisers_user_id"), table_name="programme_organisers"
    )
    op.drop_table("programme_organisers")
    op.drop_table("programmes")
