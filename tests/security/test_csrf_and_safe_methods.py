"""Every state-changing route refuses a request without a CSRF token, and no GET
changes anything, for every route of the URL map.

Requests come from the people entitled to them (event A's organiser on
organiser pages, an admin on admin pages, participant A1's links on token
routes, anyone on public pages), so a refusal is the CSRF check's doing.
"""

from __future__ import annotations

import pytest

from consult.extensions import db
from tests.conftest import make_app
from tests.security.conftest import changed_tables, client_for, table_fingerprints
from tests.security.policy import PUBLIC, actor_for, is_api
from tests.security.urls import STATE_CHANGING, app_rules, targets_for

CSRF_MESSAGE = "Your form expired or was sent from another site."

# The attendance import's second step is exempt from the global CSRF hook
# (its signed report exceeds the form-field limit, which must be raised before
# the hook reads the body); its form checks the token itself and sends the
# organiser back to the upload page. Without a token: that redirect, nothing
# stored. Its first step (the upload form) is exempt for the same reason: a
# report kept from a submit with other problems travels back signed in a
# hidden field; without a token the form comes back refused (422), nothing
# stored.
# The SMS gateway's inbound webhook is exempt too: the gateway has no session
# and no token; the request's signature (X-Twilio-Signature, under the auth
# token) is its check. Unsigned: 403, nothing stored.
OWN_CSRF_CHECK = {
    "registration.attendance_import": 422,
    "registration.attendance_apply": 302,
    "notifications.sms_inbound": 403,
}

# One-click unsubscribe (RFC 8058): the recipient's mail client POSTs
# "List-Unsubscribe=One-Click" to the link in the header, with no page and no
# form, so there is no CSRF token to send; the signed bearer token in the URL
# is the proof, and the POST can only opt its own holder out (tested in
# tests/notifications/reminders/test_organiser_controls.py).
# The thank-you page's "Send it again" button likewise: its URL's token is
# signed, short-lived and handed only to whoever registered, and the POST can
# only queue that registration's own message again, rate-limited
# (consult/registration/routes/thanks.py says why it carries no CSRF token).
TOKEN_IS_THE_PROOF = {"notifications.unsubscribe", "registration.thanks_resend"}

# The API (/api/v1) reads no cookies, only a bearer token, so it has no CSRF
# check: the entitled organiser's session cookie without a token is 401.
API_WITHOUT_TOKEN = 401

# GET routes that write on purpose, with the tables they may touch:
GET_WRITES = {
    # A token's last use is recorded (at most once a minute).
    "api_events.list_events": {"api_tokens"},
    "api_events.event": {"api_tokens"},
    "api_registrations.list_registrations": {"api_tokens"},
    "api_registrations.registration": {"api_tokens"},
    "api_library.search": {"api_tokens"},
    "api_library.entry": {"api_tokens"},
    "api_surveys.list_surveys": {"api_tokens"},
    "api_surveys.survey_results": {"api_tokens"},
    "api_results.dashboard": {"api_tokens"},
    "api_results.published": {"api_tokens"},
    "api_webhooks.list_webhooks": {"api_tokens"},
    "api_webhooks.webhook": {"api_tokens"},
    "api_webhooks.deliveries": {"api_tokens"},
    # Exports of personal data are logged (who downloaded what, when),
    # wherever the organiser downloads them.
    "dashboard.export": {"dashboard_export_logs"},
    "dashboard.export_workbook": {"dashboard_export_logs"},
    "dashboard.prepared_download": {"dashboard_export_logs"},
    "dashboard.export_surveys": {"dashboard_export_logs"},
    "dashboard.export_survey_csv": {"dashboard_export_logs"},
    "registration.manage_export": {"dashboard_export_logs"},
    "challenges.manage_inputs_csv": {"dashboard_export_logs"},
    "surveys.results_csv": {"dashboard_export_logs"},
    "surveys.results_xlsx": {"dashboard_export_logs"},
}


@pytest.fixture(scope="module")
def csrf_app(world_app, database_url, tmp_path_factory):
    app = make_app(
        database_url, tmp_path_factory.mktemp("csrf-instance"), WTF_CSRF_ENABLED=True
    )
    app.instance_path = world_app.instance_path  # the world's stored slides
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_state_changing_routes_refuse_requests_without_csrf_token(csrf_app, world):
    before = table_fingerprints()
    clients = {}
    failures, checked = [], 0
    for rule in app_rules(csrf_app):
        methods = sorted(rule.methods & STATE_CHANGING)
        if not methods or rule.endpoint in TOKEN_IS_THE_PROOF:
            continue
        actor = world.a.owner_id if is_api(rule) else actor_for(rule, world)
        client = clients.setdefault(actor, client_for(csrf_app, actor))
        for target in targets_for(rule, world.a):
            for method in methods:
                checked += 1
                response = client.open(target.url, method=method, data={"x": "1"})
                expected = OWN_CSRF_CHECK.get(rule.endpoint, 400)
                if is_api(rule):
                    expected = API_WITHOUT_TOKEN
                body = response.get_data(as_text=True)
                if response.status_code != expected or (
                    expected == 400 and CSRF_MESSAGE not in body
                ):
                    failures.append(f"{method} {target.url} -> {response.status_code}")
    assert checked > 50
    assert not failures, "Accepted without a CSRF token:\n" + "\n".join(failures)
    assert changed_tables(before, table_fingerprints()) == []


def test_a_valid_csrf_token_is_accepted(csrf_app, world):
    """The control: the same kind of request with the session's token passes."""
    client = client_for(csrf_app)
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.post("/auth/logout").status_code == 400


def test_no_get_changes_state(get_sweep):
    failures = []
    for fetched in get_sweep:
        changed = set(fetched.changed) - GET_WRITES.get(fetched.endpoint, set())
        if changed:
            failures.append(f"GET {fetched.url} changed {sorted(changed)}")
    assert not failures, "\n".join(failures)


def test_every_get_route_answers_its_entitled_user(get_sweep):
    """The sweep really opened the pages (a refusal would prove nothing above)."""
    failures = [
        f"GET {f.url} -> {f.status}"
        for f in get_sweep
        if f.status >= 500 or (f.status >= 400 and f.endpoint not in PUBLIC)
    ]
    assert not failures, "\n".join(failures)
