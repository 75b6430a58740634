"""A new event takes registrations at once, and no GET page writes (issue 15, 2).

The stakeholder types and the reminder plan used to be created by the first
GET of an organiser page; an event created and published without opening
those pages offered no group on its registration form.
"""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from consult.events.models import Event
from consult.events.services import clone_event
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders.plans import DEFAULT_PLAN, plan_items
from consult.registration.models import (
    DEFAULT_STAKEHOLDER_TYPES,
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services import stakeholder_types
from tests.clock import field, wall

ZONE = "Europe/Berlin"
# A download is logged (who took personal data) by the GET that serves it.
AUDIT_OF_A_DOWNLOAD = "INSERT INTO dashboard_export_logs"


def _create_through_pages(client) -> str:
    response = client.post(
        "/manage/events/new",
        data={
            "title": "Kreislaufstadt Berlin",
            "timezone": ZONE,
            "start": field(wall(20, 15)),
            "end": field(wall(20, 17)),
            "capacity": "30",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return re.search(r"/manage/events/([^/]+)/", response.location).group(1)


def test_an_event_created_and_published_through_pages_takes_registrations(
    app, client, organiser, login, outbox
):
    login(organiser)
    slug = _create_through_pages(client)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302

    visitor = app.test_client()
    form = visitor.get(f"/events/{slug}/register").get_data(as_text=True)
    assert "Civil society &amp; NGOs" in form and "Informal sector" in form
    response = visitor.post(
        f"/events/{slug}/register",
        data={
            "full_name": "Lena Vogel",
            "email": "lena.vogel@example.de",
            "country": "DE",
            "timezone": ZONE,
            "type_key": "civil_society",
            "role": "attendee",
            "consent_privacy": "y",
        },
    )
    assert response.status_code == 200
    assert "Your seat is confirmed" in response.get_data(as_text=True)
    registration = db.session.scalar(select(Registration))
    assert registration.status == "confirmed"
    assert registration.email == "lena.vogel@example.de"
    assert db.session.get(StakeholderType, registration.stakeholder_type_id).key == (
        "civil_society"
    )
    assert [m.recipient for m in outbox()] == ["lena.vogel@example.de"]


def test_create_event_gives_the_default_types_and_plan(make_event, organiser):
    event = make_event(organiser, timezone=ZONE)
    types = stakeholder_types(event)
    assert [(t.key, t.label, t.target_share) for t in types] == [
        (key, label, share) for key, label, _, share in DEFAULT_STAKEHOLDER_TYPES
    ]
    assert all(t.cap is None for t in types)
    assert [
        (i.kind, i.anchor, i.offset_minutes, i.audience) for i in plan_items(event)
    ] == list(DEFAULT_PLAN)


def test_a_clone_copies_the_setup_of_its_source(make_event, organiser, now):
    source = make_event(organiser, publish=True)
    private = next(t for t in stakeholder_types(source) if t.key == "private")
    private.label, private.cap = "Companies", 12
    db.session.add(
        RegistrationQuestion(
            event_id=source.id,
            label="Sector?",
            kind="choice",
            choices=["Packaging", "Retail"],
            type_keys=["private"],
            position=0,
        )
    )
    first = plan_items(source)[0]
    first.subject, first.enabled = "See you next week", False
    db.session.commit()

    clone = clone_event(source, organiser, now=now)
    db.session.commit()

    copied = {t.key: (t.label, t.cap) for t in stakeholder_types(clone)}
    assert copied["private"] == ("Companies", 12)
    assert len(copied) == len(DEFAULT_STAKEHOLDER_TYPES)
    [question] = db.session.scalars(
        select(RegistrationQuestion).where(RegistrationQuestion.event_id == clone.id)
    )
    assert (question.label, question.choices, question.type_keys) == (
        "Sector?",
        ["Packaging", "Retail"],
        ["private"],
    )
    items = plan_items(clone)
    assert len(items) == len(DEFAULT_PLAN)
    assert (items[0].subject, items[0].enabled) == ("See you next week", False)
    # The source keeps its own rows.
    assert db.session.scalar(
        select(func.count(ReminderPlanItem.id)).where(
            ReminderPlanItem.event_id == source.id
        )
    ) == len(DEFAULT_PLAN)


@pytest.fixture
def writes(app):
    """The INSERT/UPDATE/DELETE statements sent while the list is recording."""
    recorded: list[str] = []
    recording = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        if recording and re.match(r"\s*(INSERT|UPDATE|DELETE)\b", statement, re.I):
            recorded.append(statement.split("\n")[0][:100])

    sa_event.listen(db.engine, "before_cursor_execute", spy)
    yield recorded, recording
    sa_event.remove(db.engine, "before_cursor_execute", spy)


def _pages_of_an_event(app, slug: str) -> list[str]:
    """Every GET page whose address needs only the event's slug."""
    with app.test_request_context():
        return sorted(
            url_for(rule.endpoint, slug=slug)
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.arguments == {"slug"}
        )


def test_no_get_page_of_a_new_event_writes(app, client, organiser, login, writes):
    login(organiser)
    slug = _create_through_pages(client)
    client.post(f"/manage/events/{slug}/publish")
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    types_before = len(stakeholder_types(event))
    db.session.remove()
    recorded, recording = writes
    pages = _pages_of_an_event(app, slug)
    assert f"/manage/events/{slug}/registrations" in pages
    assert f"/manage/events/{slug}/notifications/plan" in pages

    written = {}
    for path in pages:
        recording.append(True)
        status = client.get(path).status_code
        recording.clear()
        assert status < 500, path
        found = [s for s in recorded if not s.startswith(AUDIT_OF_A_DOWNLOAD)]
        if found:
            written[path] = found
        recorded.clear()
    assert written == {}
    assert types_before == len(DEFAULT_STAKEHOLDER_TYPES)
