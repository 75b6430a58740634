"""Every date people can enter is bounded: 2000 to 20 years ahead of the clock.

`DATE_FIELDS` lists every date field of every form, with the page that posts
it; a new date field anywhere in consult/ fails the first test until it is
listed here, and every listed field is proved to refuse out-of-range dates,
in the form and over HTTP (422, the range next to the field, no row changed).
Years 9999, 1 and 1999 are the edges under test; the last accepted year is
derived from the test clock.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList
from wtforms import Form as BaseForm
from wtforms.fields import DateTimeField
from wtforms.fields.core import UnboundField

import consult
from consult.errors import ValidationFailed
from consult.forms import DayField, WallClockField
from consult.timeutil import to_utc
from tests.clock import FIXED_NOW
from tests.security.conftest import changed_tables, client_for, table_fingerprints

ROOT = Path(__file__).resolve().parents[2]
LAST_YEAR = FIXED_NOW.year + 20
MESSAGE = f"Enter a date between 2000 and {LAST_YEAR}."
OUT_OF_RANGE = [
    "9999-12-31T16:00",
    "0001-01-01T09:00",
    "1999-12-31T23:59",
    f"{LAST_YEAR + 1}-01-01T00:00",
]

EVENT = "/manage/events/{slug}"
ACTION = "/manage/cities/{city}/plan/actions/{action}"
PLAN = "/manage/cities/{city}/plan"
MILESTONE = PLAN + "/actions/{action}/milestones/{milestone}"
REQUEST = "/events/{slug}/registration/{token}/directory/people/{person}/request"
# (module, form, field) -> the page that posts it.
DATE_FIELDS = {
    ("consult.events.forms", "EventForm", "start"): EVENT + "/edit",
    ("consult.events.forms", "EventForm", "end"): EVENT + "/edit",
    ("consult.events.forms", "EventForm", "registration_opens"): EVENT + "/edit",
    ("consult.events.forms", "EventForm", "registration_closes"): EVENT + "/edit",
    ("consult.events.forms", "SessionForm", "start"): EVENT + "/agenda/new",
    ("consult.events.forms", "SessionForm", "end"): EVENT + "/agenda/new",
    ("consult.contributions.forms", "CallForm", "opens_at"): EVENT
    + "/contributions/call",
    ("consult.contributions.forms", "CallForm", "closes_at"): EVENT
    + "/contributions/call",
    ("consult.contributions.forms", "DecisionForm", "start"): EVENT
    + "/contributions/{proposal}/decide",
    ("consult.contributions.forms", "PlaceForm", "start"): EVENT
    + "/contributions/{proposal}/place",
    ("consult.surveys.forms", "SurveyForm", "opens"): EVENT + "/surveys/{survey}",
    ("consult.surveys.forms", "SurveyForm", "closes"): EVENT + "/surveys/{survey}",
    ("consult.challenges.forms", "WindowForm", "opens_at"): EVENT
    + "/challenges/window",
    ("consult.challenges.forms", "WindowForm", "closes_at"): EVENT
    + "/challenges/window",
    # Date-only fields (DayField): a day on the city's calendar.
    ("consult.actions.forms_progress", "UpdateForm", "posted_on"): ACTION + "/updates",
    ("consult.actions.forms_progress", "UpdateEditForm", "posted_on"): ACTION
    + "/updates/{action_update}",
    ("consult.actions.forms", "ActionForm", "start_on"): PLAN + "/actions/{action}",
    ("consult.actions.forms", "ActionForm", "end_on"): PLAN + "/actions/{action}",
    ("consult.actions.forms", "MilestoneForm", "due_on"): MILESTONE,
    ("consult.actions.forms", "DoneForm", "done_on"): MILESTONE + "/done",
    ("consult.covenant.forms", "CommitmentForm", "status_on"): (
        "/manage/cities/{city}/covenant/new"
    ),
    # A meeting request's proposed times, through a participant's manage link.
    ("consult.directory.forms", "RequestForm", "slot_1"): REQUEST,
    ("consult.directory.forms", "RequestForm", "slot_2"): REQUEST,
    ("consult.directory.forms", "RequestForm", "slot_3"): REQUEST,
}


def _all_forms() -> list[type]:
    for module in pkgutil.walk_packages(consult.__path__, "consult."):
        importlib.import_module(module.name)
    found, todo = [], list(BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("consult."):
            found.append(cls)
    return found


def _date_fields(form: type):
    """(name, field class) of each date field of a form class, lists included."""
    for name in dir(form):
        unbound = getattr(form, name)
        if not isinstance(unbound, UnboundField):
            continue
        inner = unbound
        while issubclass(inner.field_class, FieldList) and isinstance(
            inner.args[0], UnboundField
        ):
            inner = inner.args[0]
        if issubclass(inner.field_class, DateTimeField):
            yield name, inner.field_class


def test_every_date_field_is_listed_and_bounded():
    found = {}
    for form in _all_forms():
        for name, field_class in _date_fields(form):
            found[(form.__module__, form.__name__, name)] = field_class
    assert set(found) == set(DATE_FIELDS), "list a new date field in DATE_FIELDS"
    unbounded = [
        key
        for key, cls in found.items()
        if not issubclass(cls, (WallClockField, DayField))
    ]
    assert unbounded == []


def test_no_date_input_bypasses_the_forms():
    """No template writes its own date input; no module parses dates from
    input except the bounded attendance report and the Zoom participants
    report feeding it, bounded too (the dashboard reads its own SQL output,
    the plan's versions their own snapshots)."""
    raw = re.compile(r'type=["\'](date|datetime-local|time|month|week)["\']')
    templates = [
        p for p in (ROOT / "templates").rglob("*.html") if raw.search(p.read_text())
    ]
    assert templates == []
    parsing = re.compile(
        r"strptime|fromisoformat|dateutil|DateField|DateTimeLocalField\("
    )
    modules = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "consult").rglob("*.py")
        if parsing.search(p.read_text())
    )
    assert modules == [
        "consult/actions/services/plan_versions.py",
        "consult/dashboard/services/queries.py",
        "consult/platforms/adapters/zoom.py",
        "consult/registration/attendance/times.py",
    ]


def _as_posted(form_class, name: str, value: str) -> tuple[str, str, str]:
    """(the field's posted name, its id, the value as the field takes it): a
    form may have a prefix, and a date-only field takes the date part."""
    form = form_class(formdata=None)
    field = form[name]
    if isinstance(field, DayField):
        value = value[:10]
    return field.name, field.id, value


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("key", list(DATE_FIELDS), ids="-".join)
def test_each_date_field_refuses_a_date_out_of_range(world_app, key, value):
    module, form_name, name = key
    form_class = getattr(importlib.import_module(module), form_name)
    with world_app.test_request_context(method="POST"):
        posted, _id, value = _as_posted(form_class, name, value)
        form = form_class(formdata=MultiDict({posted: value}))
        assert not form[name].validate(form)
        assert MESSAGE in form[name].errors


@pytest.mark.parametrize("key", list(DATE_FIELDS), ids="-".join)
def test_each_date_field_accepts_the_edges_of_the_range(world_app, key):
    module, form_name, name = key
    form_class = getattr(importlib.import_module(module), form_name)
    for value in ("2000-01-01T00:00", f"{LAST_YEAR}-12-31T23:59"):
        with world_app.test_request_context(method="POST"):
            posted, _id, value = _as_posted(form_class, name, value)
            form = form_class(formdata=MultiDict({posted: value}))
            form[name].validate(form)
            assert MESSAGE not in form[name].errors


@pytest.mark.parametrize("value", ["9999-12-31T16:00", "1999-12-31T16:00"])
@pytest.mark.parametrize("key", list(DATE_FIELDS), ids="-".join)
def test_each_date_page_refuses_a_date_out_of_range(world, world_app, key, value):
    module, form_name, name = key
    url = DATE_FIELDS[key].format(
        slug=world.a.slug,
        proposal=world.a.ids["proposal"],
        survey=world.a.ids["survey"],
        city=world.a.city_slug,
        action=world.a.ids["action"],
        action_update=world.a.ids["action_update"],
        milestone=world.a.ids["milestone"],
        token=world.a.tokens["manage"],
        person=world.a.ids["directory_person"],
    )
    form_class = getattr(importlib.import_module(module), form_name)
    with world_app.test_request_context(method="POST"):
        posted, field_id, value = _as_posted(form_class, name, value)
    client = client_for(world_app, world.a.owner_id)
    before = table_fingerprints()
    response = client.post(url, data={posted: value, "decision": "accepted"})
    changed = changed_tables(before, table_fingerprints())
    assert response.status_code == 422, url
    html = response.get_data(as_text=True)
    assert MESSAGE in html
    assert f'id="{field_id}-error"' in html
    assert changed == []


@pytest.mark.parametrize("value", [v[:10] for v in OUT_OF_RANGE])
def test_the_services_refuse_a_date_out_of_range(world_app, value):
    """Services that take dates directly (imports, the CLI, later the API)
    share `to_utc`, which refuses them too."""
    naive = datetime.fromisoformat(value + "T12:00")
    with world_app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        to_utc(naive, "Asia/Kuala_Lumpur", "start")
    assert (refused.value.field, refused.value.message) == ("start", MESSAGE)
