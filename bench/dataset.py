"""Benchmark data: the demo consultation grown to N registrations, and a surge event.

The dashboard's figures need realistic data, so the demo event (seed-demo) is
grown by copying its own rows: each new registration copies a demo registrant
(type, country, answers, status, attendance) with a fresh email and nonce; its
inputs, challenge priorities and survey responses (with their answers) copy
those of demo registrants, in the demo's own proportions per registration.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime, timedelta

import common  # noqa: F401  (puts the project on sys.path)
from sqlalchemy import func, insert, select, text, update

from consult.challenges.models import Input, Priority
from consult.demo import DEMO_SLUG, seed_demo
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services.seats import ensure_stakeholder_types
from consult.surveys.models import SurveyAnswer, SurveyParticipation, SurveyResponse

SURGE_SLUG = "registration-surge-benchmark"
CHUNK = 2000


def seed(now: datetime) -> Event:
    """The demo consultation (committed); returns its event."""
    result = seed_demo(now=now)
    db.session.commit()
    return result.event


def surge_event(now: datetime, capacity: int) -> Event:
    """A published event open for registration, with the five default types."""
    event = db.session.scalar(select(Event).where(Event.slug == SURGE_SLUG))
    if event is not None:
        return event
    demo = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    start = now + timedelta(days=30)
    event = Event(
        slug=SURGE_SLUG,
        title="Registration surge benchmark",
        summary="A synthetic event that the benchmark registers thousands of people for.",
        description_md=demo.description_md,
        host_city="Petaling Jaya",
        host_country="Malaysia",
        topics=list(demo.topics or []),
        timezone="Asia/Kuala_Lumpur",
        start_at=start,
        end_at=start + timedelta(hours=2),
        capacity=capacity,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=start,
        status="published",
        owner_id=demo.owner_id,
        created_at=now,
        updated_at=now,
        published_at=now,
        waitlist_enabled=True,
    )
    db.session.add(event)
    db.session.flush()
    ensure_stakeholder_types(event)
    db.session.commit()
    return event


def _columns(table, row, drop=("id",)) -> dict:
    return {c.name: row._mapping[c.name] for c in table.columns if c.name not in drop}


def _insert_returning_ids(table, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        result = db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk
        )
        ids.extend(result.scalars())
    return ids


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def grow(event: Event, target: int) -> dict:
    """Add registrations (and their inputs, priorities, survey responses) up to target."""
    regs = Registration.__table__
    existing = db.session.scalar(
        select(func.count()).select_from(regs).where(regs.c.event_id == event.id)
    )
    missing = target - existing
    if missing <= 0:
        return counts(event)
    _without_row_triggers()
    # The figures must not depend on seats: no capacity, no per-type caps.
    event.capacity = None
    db.session.execute(
        update(StakeholderType)
        .where(StakeholderType.event_id == event.id)
        .values(cap=None)
    )
    templates = db.session.execute(
        select(regs)
        .where(regs.c.event_id == event.id, regs.c.email.like("%@%"))
        .where(~regs.c.email.like("bench-%"))
        .where(regs.c.erased_at.is_(None))
        .order_by(regs.c.id)
    ).all()
    rows = []
    sources = []
    for n, template in zip(range(existing, target), itertools.cycle(templates)):
        values = _columns(regs, template)
        values["email"] = f"bench-{n}@example.org"
        values["full_name"] = f"{template.full_name} {n}"
        values["manage_nonce"] = secrets.token_urlsafe(24)
        values["feed_nonce"] = None
        if values["status"] == "waitlisted":
            values["status"] = "confirmed"
            values["confirmed_at"] = values["created_at"]
        values["waitlist_position"] = None
        rows.append(values)
        sources.append(template.id)
    new_ids = _insert_returning_ids(regs, rows)
    by_template: dict[int, list[int]] = {}
    for source, new_id in zip(sources, new_ids, strict=True):
        by_template.setdefault(source, []).append(new_id)
    _copy_children(event, by_template)
    confirmed = db.session.scalar(
        select(func.count())
        .select_from(regs)
        .where(regs.c.event_id == event.id, regs.c.status == "confirmed")
    )
    event.confirmed_count = confirmed
    _bump_data_version(event.id)
    db.session.commit()
    _analyze()
    return counts(event)


def _without_row_triggers() -> None:
    """PostgreSQL: no per-row triggers in this transaction (the copies are consistent).

    Each copied row's deferred data-version trigger (consult/data_versions.py)
    upserts the event's one counter row at the commit: half a million
    updates of one row in one transaction, each walking the row's growing
    chain of versions. The commit of 50,000 registrations took over eight
    minutes before it was stopped. The copies keep their foreign keys by
    construction and change no waiting list (copies are confirmed), so the
    bench turns the triggers off for its own transaction and moves the
    version once (``_bump_data_version``).
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))


def _bump_data_version(event_id: int) -> None:
    """What the triggers would have done, once: the event's data changed."""
    if db.engine.dialect.name != "postgresql":
        return
    db.session.execute(text("SET LOCAL session_replication_role = origin"))
    db.session.execute(
        text(
            "INSERT INTO event_data_versions (event_id, version) VALUES (:id, 1)"
            " ON CONFLICT (event_id) DO UPDATE"
            " SET version = event_data_versions.version + 1"
        ),
        {"id": event_id},
    )


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk insert.

    A production server's autovacuum analyses a table once enough of it
    changed; the bench server may run without autovacuum (this machine's does),
    and with the statistics of the small demo the planner picks nested loops
    over 50,000 rows: the dashboard took 1.4 s instead of 0.66 s. So the bench
    does what autovacuum would, before timing anything.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "ANALYZE"
        )


def _copy_children(event: Event, by_template: dict[int, list[int]]) -> None:
    """Each new registration gets copies of its template's inputs, priorities, responses."""
    types = dict(
        db.session.execute(
            select(Registration.id, Registration.stakeholder_type_id).where(
                Registration.id.in_(list(by_template))
            )
        ).all()
    )
    inputs = Input.__table__
    input_rows = []
    for template in db.session.execute(
        select(inputs).where(
            inputs.c.event_id == event.id,
            inputs.c.registration_id.in_(list(by_template)),
            inputs.c.merged_into_id.is_(None),
        )
    ):
        for new_id in by_template[template.registration_id]:
            values = _columns(inputs, template)
            values["registration_id"] = new_id
            # The organiser picks a handful for the action plan, not one in
            # every copy: the demo's own selection stays the selection.
            values["selected_for_plan"] = False
            input_rows.append(values)
    _insert(inputs, input_rows)

    priorities = Priority.__table__
    priority_rows = []
    for template in db.session.execute(
        select(priorities).where(priorities.c.registration_id.in_(list(by_template)))
    ):
        for new_id in by_template[template.registration_id]:
            values = _columns(priorities, template)
            values["registration_id"] = new_id
            priority_rows.append(values)
    _insert(priorities, priority_rows)

    _copy_survey_responses(by_template, types)


def _copy_survey_responses(by_template: dict[int, list[int]], types: dict) -> None:
    responses = SurveyResponse.__table__
    answers = SurveyAnswer.__table__
    participations = SurveyParticipation.__table__
    template_ids = list(by_template)
    answers_of: dict[int, list] = {}
    for row in db.session.execute(
        select(answers)
        .join(responses, responses.c.id == answers.c.response_id)
        .where(responses.c.status == "submitted")
    ):
        answers_of.setdefault(row.response_id, []).append(row)
    # Named responses belong to a template registration; anonymous ones are
    # matched to their registrant through the participation record, in order.
    anonymous = {}
    for row in db.session.execute(
        select(responses).where(
            responses.c.status == "submitted", responses.c.registration_id.is_(None)
        )
    ):
        anonymous.setdefault(row.survey_id, []).append(row)
    pool = {sid: itertools.cycle(rows) for sid, rows in anonymous.items()}
    response_rows, response_answers, participation_rows = [], [], []
    for part in db.session.execute(
        select(participations).where(participations.c.registration_id.in_(template_ids))
    ):
        named = db.session.execute(
            select(responses).where(
                responses.c.survey_id == part.survey_id,
                responses.c.registration_id == part.registration_id,
                responses.c.status == "submitted",
            )
        ).first()
        template = named or (
            next(pool[part.survey_id]) if part.survey_id in pool else None
        )
        if template is None:
            continue
        for new_id in by_template[part.registration_id]:
            values = _columns(responses, template)
            values["registration_id"] = new_id if named is not None else None
            values["stakeholder_type_id"] = types.get(
                part.registration_id, template.stakeholder_type_id
            )
            response_rows.append(values)
            response_answers.append(answers_of.get(template.id, []))
            participation_rows.append(
                {
                    "survey_id": part.survey_id,
                    "registration_id": new_id,
                    "responded_at": part.responded_at,
                }
            )
    new_ids = _insert_returning_ids(responses, response_rows)
    answer_rows = []
    for new_id, rows in zip(new_ids, response_answers, strict=True):
        for row in rows:
            values = _columns(answers, row)
            values["response_id"] = new_id
            answer_rows.append(values)
    _insert(answers, answer_rows)
    _insert(participations, participation_rows)


def counts(event: Event) -> dict:
    """How many rows of each kind the event has."""

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    survey_ids = select(SurveyResponse.survey_id).distinct()
    return {
        "registrations": count(Registration, Registration.event_id == event.id),
        "inputs": count(Input, Input.event_id == event.id),
        "priorities": count(Priority, Priority.event_id == event.id),
        "survey_responses": count(
            SurveyResponse, SurveyResponse.survey_id.in_(survey_ids)
        ),
        "survey_answers": count(SurveyAnswer),
    }
