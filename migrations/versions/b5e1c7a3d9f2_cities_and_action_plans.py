"""Cities and their local action plans

Revision ID: b5e1c7a3d9f2
Revises: a9d4c2e6f8b1
Create Date: 2026-12-05 01:50:00.000000

``cities``: one row per host city, made from the events' ``host_city``
(and its country; the zone of the city's first event), and
``events.host_city_id`` pointing at it. The action plan of a city:
``action_plans`` (one per city), ``action_plan_versions`` (adopted versions
with a snapshot), ``actions`` with the challenges they answer and the inputs
they build on, ``action_milestones`` and ``action_updates``.
"""

import sqlalchemy as sa
from alembic import op

from consult.cities.services import city_slug
from consult.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = "b5e1c7a3d9f2"
down_revision = "a9d4c2e6f8b1"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_events_host_city_id_cities"
KINDS = "kind IN ('policy', 'pilot', 'study', 'capacity_building', 'investment')"
STATUSES = "'planned', 'in_progress', 'done', 'delayed', 'dropped'"


def upgrade():
    op.create_table(
        "cities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=120), server_default="", nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cities")),
        sa.UniqueConstraint("slug", name=op.f("uq_cities_slug")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host_city_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            FOREIGN_KEY, "cities", ["host_city_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(
        op.f("ix_events_host_city_id"), "events", ["host_city_id"], unique=False
    )
    _cities_from_events()

    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("introduction_md", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"],
            ["cities.id"],
            name=op.f("fk_action_plans_city_id_cities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_action_plans_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sa.UniqueConstraint("city_id", name=op.f("uq_action_plans_city_id")),
    )
    op.create_table(
        "action_plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_action_plan_versions_number")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plans.id"],
            name=op.f("fk_action_plan_versions_plan_id_action_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_action_plan_versions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_versions")),
        sa.UniqueConstraint(
            "plan_id", "number", name=op.f("uq_action_plan_versions_plan_id_number")
        ),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description_md", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("lead_organisation", sa.String(length=200), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("budget_amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("budget_currency", sa.String(length=3), nullable=False),
        sa.Column("funding_source", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("owner_email", sa.String(length=254), nullable=False),
        sa.Column("owner_language", sa.String(length=20), nullable=True),
        sa.Column("owner_nonce", sa.String(length=64), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f("ck_actions_kind")),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_actions_status")),
        sa.CheckConstraint(
            "progress >= 0 AND progress <= 100", name=op.f("ck_actions_progress")
        ),
        sa.CheckConstraint(
            "budget_amount IS NULL OR budget_amount >= 0",
            name=op.f("ck_actions_budget_amount"),
        ),
        sa.CheckConstraint(
            "start_on IS NULL OR end_on IS NULL OR end_on >= start_on",
            name=op.f("ck_actions_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plans.id"],
            name=op.f("fk_actions_plan_id_action_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_actions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("owner_nonce", name=op.f("uq_actions_owner_nonce")),
    )
    op.create_index(
        "ix_actions_plan_position", "actions", ["plan_id", "position"], unique=False
    )
    op.create_table(
        "action_challenges",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_challenges_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_action_challenges_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "action_id", "challenge_id", name=op.f("pk_action_challenges")
        ),
    )
    op.create_index(
        op.f("ix_action_challenges_challenge_id"),
        "action_challenges",
        ["challenge_id"],
        unique=False,
    )
    op.create_table(
        "action_inputs",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("input_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_inputs_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["inputs.id"],
            name=op.f("fk_action_inputs_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "input_id", name=op.f("pk_action_inputs")),
    )
    op.create_index(
        op.f("ix_action_inputs_input_id"), "action_inputs", ["input_id"], unique=False
    )
    op.create_table(
        "action_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_milestones_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_milestones")),
    )
    op.create_index(
        op.f("ix_action_milestones_action_id"),
        "action_milestones",
        ["action_id"],
        unique=False,
    )
    op.create_index(
        "ix_action_milestones_due",
        "action_milestones",
        ["due_on", "done_on"],
        unique=False,
    )
    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("status_before", sa.String(length=20), nullable=True),
        sa.Column("status_after", sa.String(length=20), nullable=True),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "progress IS NULL OR (progress >= 0 AND progress <= 100)",
            name=op.f("ck_action_updates_progress"),
        ),
        sa.CheckConstraint(
            f"status_after IS NULL OR status_after IN ({STATUSES})",
            name=op.f("ck_action_updates_status_after"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_updates_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_id"],
            ["users.id"],
            name=op.f("fk_action_updates_posted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    op.create_index(
        op.f("ix_action_updates_action_id"),
        "action_updates",
        ["action_id"],
        unique=False,
    )


def _cities_from_events() -> None:
    """A city for each host city named by the events, oldest event first."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, host_city, host_country, timezone, created_at FROM events"
            " WHERE host_city <> '' ORDER BY id"
        )
    ).all()
    cities: dict[tuple[str, str], int] = {}
    slugs: set[str] = set()
    for event_id, name, country, zone, created_at in rows:
        name, country = " ".join(name.split()), " ".join((country or "").split())
        if not name:
            continue
        key = (name.lower(), country.lower())
        if key not in cities:
            base = city_slug(name)
            slug = base if base not in slugs else f"{base}-{city_slug(country)}"
            n = 1
            candidate = slug
            while candidate in slugs:
                n += 1
                candidate = f"{slug}-{n}"
            slugs.add(candidate)
            bind.execute(
                sa.text(
                    "INSERT INTO cities (slug, name, country, timezone, created_at)"
                    " VALUES (:slug, :name, :country, :zone, :created_at)"
                ),
                {
                    "slug": candidate,
                    "name": name,
                    "country": country,
                    "zone": zone,
                    "created_at": created_at,
                },
            )
            cities[key] = bind.execute(
                sa.text("SELECT id FROM cities WHERE slug = :slug"),
                {"slug": candidate},
            ).scalar_one()
        bind.execute(
            sa.text("UPDATE events SET host_city_id = :city WHERE id = :event"),
            {"city": cities[key], "event": event_id},
        )


def downgrade():
    op.drop_index(op.f("ix_action_updates_action_id"), table_name="action_updates")
    op.drop_table("action_updates")
    op.drop_index("ix_action_milestones_due", table_name="action_milestones")
    op.drop_index(
        op.f("ix_action_milestones_action_id"), table_name="action_milestones"
    )
    op.drop_table("action_milestones")
    op.drop_index(op.f("ix_action_inputs_input_id"), table_name="action_inputs")
    op.drop_table("action_inputs")
    op.drop_index(
        op.f("ix_action_challenges_challenge_id"), table_name="action_challenges"
    )
    op.drop_table("action_challenges")
    op.drop_index("ix_actions_plan_position", table_name="actions")
    op.drop_table("actions")
    op.drop_table("action_plan_versions")
    op.drop_table("action_plans")
    op.drop_index(op.f("ix_events_host_city_id"), table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("host_city_id")
    op.drop_table("cities")
