"""schemathesis against /api/v1/openapi.json, in process (WSGI), with a token
of every scope on a seeded event: no 5xx, every status documented, every
response body valid against its schema. Bounded examples: under two minutes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from consult.extensions import db
from tests.api.conftest import bearer

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = 30


def test_the_api_keeps_its_openapi_contract(
    app, token, reg_event, make_registration, make_reg_event, other_organiser, now
):
    known = [make_registration(reg_event).id for _ in range(3)]
    known.append(make_registration(reg_event, status="waitlisted").id)
    inputs = _inputs(reg_event, make_registration(reg_event), now)
    make_reg_event(owner=other_organiser, publish=False, title="Not yours")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        _exercise(operation, token, reg_event.slug, known, inputs=inputs)


def _inputs(event, registration, now) -> list[int]:
    """A challenge with a published input and a waiting one; their ids."""
    from consult.challenges.services import (
        Author,
        ChallengeData,
        InputData,
        WindowData,
        add_challenge,
        publish_input,
        submit_input,
        update_window,
    )

    owner = event.owner
    data = ChallengeData("Plastic pollution", "Packaging.", "plastics_packaging", "")
    challenge = add_challenge(event, owner, data, now=now)
    update_window(event, owner, WindowData(now - timedelta(days=1), None), now=now)
    author = Author(registration=registration)
    made = [
        submit_input(
            event,
            author,
            InputData("problem_insight", title, "Sachets.", challenge.id),
            now=now,
        )
        for title in ("Sachets everywhere", "Waiting")
    ]
    publish_input(made[0], owner, now=now)
    db.session.commit()
    return [item.id for item in made]


def test_the_contract_check_catches_a_response_outside_its_schema(
    app, token, reg_event, monkeypatch
):
    """The control: a status the schema does not allow fails the run."""
    from consult.api.routes import events

    shaped = events.event_summary
    monkeypatch.setattr(
        events, "event_summary", lambda *a: {**shaped(*a), "status": "postponed"}
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema["/api/v1/events"]["GET"]
    with pytest.raises(BaseException) as failed:
        _exercise(operation, token, reg_event.slug, [], examples=5)
    assert "Response violates schema" in "".join(_messages(failed.value))


def _messages(exc: BaseException) -> list[str]:
    inner = getattr(exc, "exceptions", ())
    return [str(exc), *(m for e in inner for m in _messages(e))]


def _exercise(operation, token, slug, known, examples=EXAMPLES, inputs=()) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(),
        own_slug=st.booleans(),
        known_id=st.sampled_from([None, *known]),
        input_id=st.sampled_from([None, *inputs]),
    )
    def run(case, own_slug, known_id, input_id):
        if "slug" in (case.path_parameters or {}) and own_slug:
            case.path_parameters["slug"] = slug
        if "registration_id" in (case.path_parameters or {}) and known_id:
            case.path_parameters["registration_id"] = known_id
        if "input_id" in (case.path_parameters or {}) and input_id:
            case.path_parameters["input_id"] = input_id
        response = case.call(headers=bearer(token))
        db.session.rollback()
        case.validate_response(response, checks=CHECKS)

    run()
