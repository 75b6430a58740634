"""The API's access matrix, generated from the URL map and the OpenAPI
document: every /api/v1 route is asked by token holders who must not reach it.

- no token, a forged or malformed one: 401;
- event A's owner's token without the operation's scope: 403;
- event B's owner (and event A's facilitator and reviewer) with every scope,
  on everything of event A that only its managers reach (registrations,
  attendance, surveys, dashboard, webhooks; a webhook's POST body is not even
  read): 404, the same answer as for an event that does not exist
  (docs/api.md); on its inputs, only the published ones, as the public
  challenges page shows them;
- event A's owner with event B's registration, input, survey, webhook and
  delivery ids under A's slug: 404;
- an admin's token reaches every read of event A.

Nothing may change in the database but the tokens' last-use times.
"""

from __future__ import annotations

import io

import pytest

from consult.api.models import SCOPES
from consult.api.services.tokens import create_token
from consult.extensions import db
from tests.security.conftest import table_fingerprints
from tests.security.policy import is_api
from tests.security.urls import app_rules, targets_for

# Reads of event A any token holder may make: the event (public) and its
# published results. Every other route under an event is its managers' only.
PUBLIC_READS = (
    "/api/v1/events/<slug>",
    "/api/v1/events/<slug>/results",
    "/api/v1/events/<slug>/challenges",
    # Outsiders read the published inputs (a test below).
    "/api/v1/events/<slug>/inputs",
    "/api/v1/events/<slug>/inputs/<int:input_id>",
)
# Event B's objects that event A's routes take by id.
FOREIGN_IDS = {
    "registration_id": "registration",
    "input_id": "input",
    "survey_id": "survey",
    "subscription_id": "webhook",
    "delivery_id": "webhook_delivery",
}

BODY = {
    "full_name": "Outsider Test",
    "email": "outsider@example.org",
    "country": "MY",
    "type_key": "government",
    "consent_privacy": True,
}


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _api_pairs(app, side, **overrides):
    for rule in app_rules(app):
        if not is_api(rule):
            continue
        for target in targets_for(rule, side, **overrides):
            for method in target.methods():
                yield rule, method, target.url


def _ask(client, method, url, secret=None, headers=None):
    headers = headers if headers is not None else _bearer(secret)
    if url.endswith("/attendance/imports"):
        # A well-formed upload: its event is checked after its shape.
        report = {"report": (io.BytesIO(b"Name,Email\n"), "report.csv")}
        return client.open(url, method=method, headers=headers, data=report)
    body = BODY if method == "POST" else None
    return client.open(url, method=method, headers=headers, json=body)


def _unchanged(before) -> None:
    after = table_fingerprints()
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"api_tokens"}, f"outsiders changed {sorted(changed)}"


@pytest.fixture(scope="module")
def tokens(world_app, world):
    """Tokens of event A's owner each lacking one scope; others' full tokens."""
    from consult.auth.models import User
    from tests.conftest import FIXED_NOW

    def full(user_id):
        user = db.session.get(User, user_id)
        return create_token(user, "matrix", list(SCOPES), None, now=FIXED_NOW).secret

    owner = db.session.get(User, world.a.owner_id)
    lacking = {
        scope: create_token(
            owner, "lacking", [s for s in SCOPES if s != scope], None, now=FIXED_NOW
        ).secret
        for scope in SCOPES
    }
    made = {
        "lacking": lacking,
        "b_owner": world.b.tokens["api"],
        "facilitator": full(world.facilitator_id),
        "reviewer": full(world.reviewer_id),
        "admin": full(world.admin_id),
    }
    db.session.commit()
    return made


def _scope_of(app, rule, method) -> list[str]:
    from consult.api.routes.docs import openapi_document

    path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
    with app.test_request_context():
        operation = openapi_document()["paths"][path][method.lower()]
    return [s for req in operation.get("security", []) for s in req["bearerAuth"]]


def test_every_api_operation_needs_exactly_one_known_scope(world_app, world):
    rules = [(r, m) for r, m, _ in _api_pairs(world_app, world.a)]
    assert len(rules) >= 6
    for rule, method in rules:
        scopes = _scope_of(world_app, rule, method)
        assert len(scopes) == 1 and scopes[0] in SCOPES, (rule.rule, method)


def test_no_usable_token_is_401_everywhere(world_app, world, tokens):
    before = table_fingerprints()
    client = world_app.test_client()
    failures = []
    for _rule, method, url in _api_pairs(world_app, world.a):
        for headers in ({}, _bearer("cst_forged"), {"Authorization": "Token x"}):
            status = _ask(client, method, url, headers=headers).status_code
            if status != 401:
                failures.append(f"{method} {url} {headers} -> {status}")
    assert not failures, "\n".join(failures)
    _unchanged(before)


def test_a_token_without_the_operations_scope_is_403(world_app, world, tokens):
    before = table_fingerprints()
    client = world_app.test_client()
    failures = []
    for rule, method, url in _api_pairs(world_app, world.a):
        (scope,) = _scope_of(world_app, rule, method)
        status = _ask(client, method, url, tokens["lacking"][scope]).status_code
        if status != 403:
            failures.append(f"{method} {url} without {scope} -> {status}")
    assert not failures, "\n".join(failures)
    _unchanged(before)


@pytest.mark.parametrize("who", ["b_owner", "facilitator", "reviewer"])
def test_people_who_do_not_manage_event_a_get_404_on_its_managers_routes(
    world_app, world, tokens, who
):
    before = table_fingerprints()
    client = world_app.test_client()
    failures = []
    checked = set()
    for rule, method, url in _api_pairs(world_app, world.a):
        if "slug" not in rule.arguments or rule.rule in PUBLIC_READS:
            continue
        checked.add(rule.rule.split("/")[5])
        status = _ask(client, method, url, tokens[who]).status_code
        if status != 404:
            failures.append(f"{who}: {method} {url} -> {status}")
    assert checked >= {
        "registrations", "attendance", "surveys", "dashboard", "webhooks"
    }  # fmt: skip
    draft = client.get(
        f"/api/v1/events/{world.draft_slug}", headers=_bearer(tokens[who])
    )
    if draft.status_code != 404:
        failures.append(f"{who}: event A's draft -> {draft.status_code}")
    assert not failures, "\n".join(failures)
    _unchanged(before)


def test_event_b_ids_under_event_a_are_404(world_app, world, tokens):
    before = table_fingerprints()
    client = world_app.test_client()
    failures = []
    foreign = {arg: world.b.ids[key] for arg, key in FOREIGN_IDS.items()}
    for rule, method, url in _api_pairs(world_app, world.a, **foreign):
        if not set(FOREIGN_IDS) & set(rule.arguments):
            continue
        status = _ask(client, method, url, world.a.tokens["api"]).status_code
        if status != 404:
            failures.append(f"{method} {url} -> {status}")
    assert not failures, "\n".join(failures)
    _unchanged(before)


@pytest.mark.parametrize("who", ["b_owner", "facilitator", "reviewer"])
def test_people_who_do_not_manage_event_a_read_only_its_published_inputs(
    world_app, world, tokens, who
):
    client = world_app.test_client()
    inputs = f"/api/v1/events/{world.a.slug}/inputs"

    def listed(secret):
        response = client.get(inputs + "?limit=200", headers=_bearer(secret))
        assert response.status_code == 200
        return response.get_json()["items"]

    theirs, every = listed(tokens[who]), listed(tokens["admin"])
    assert theirs, "the world has published inputs"
    assert {i["state"] for i in theirs} == {"published"}
    assert all(i["hidden_reason"] is None for i in theirs)
    assert {i["state"] for i in every} > {"published"}, "and inputs in other states"
    shown = {i["id"] for i in theirs}
    for item in every:
        answer = client.get(f"{inputs}/{item['id']}", headers=_bearer(tokens[who]))
        assert answer.status_code == (200 if item["id"] in shown else 404), item


def test_an_admins_token_reads_everything_of_event_a(world_app, world, tokens):
    client = world_app.test_client()
    failures = [
        f"admin: GET {url} -> {status}"
        for _rule, method, url in _api_pairs(world_app, world.a)
        if method == "GET"
        and (status := _ask(client, method, url, tokens["admin"]).status_code) != 200
    ]
    assert not failures, "\n".join(failures)
