"""Access matrix generated from the URL map: new routes are covered automatically.

Every route is filled with event A's objects (tests/security/urls.py) and
asked by people who must not reach them:

- anonymous visitors (participants have no account: they are anonymous too);
- the organiser of event B, and a reviewer of event A on organiser pages;
- holders of a forged token, of event B's token under event A's slug, of
  participant A2's token for participant A1's objects;
- event A's own organiser with event B's object ids under event A's slug;
- a facilitator of event A everywhere but its own pages, and on them with
  another facilitator's person or event B's.

Refusal means 403 or 404 (anonymous visitors may instead be sent to the login
page). Admins manage every event (consult/events/access.py `can_manage`):
they must reach every organiser page of event A, which is checked too.
Nothing may change in the database while outsiders knock.
"""

from __future__ import annotations

from tests.clock import day, field
from tests.conftest import make_app
from tests.security.conftest import client_for, table_fingerprints
from tests.security.policy import (
    FACILITATOR_ALLOWED,
    OWN_OBJECT_ROUTES,
    OWN_SCOPE,
    PUBLIC,
    REVIEWER_ALLOWED,
    is_api,
    is_facilitator_page,
    is_manage,
    is_token,
)
from tests.security.urls import MissingRule, app_rules, targets_for


def _denied(response) -> bool:
    return response.status_code in (403, 404)


def _denied_anonymous(response) -> bool:
    if response.status_code == 302:
        return "/auth/login" in response.headers.get("Location", "")
    return response.status_code in (401, 403, 404)


def _ask(client, method: str, url: str):
    return client.open(url, method=method, data={})


def _sweep(app, world, client, pairs, ok, label: str) -> list[str]:
    """Ask every (method, url) with the client; list those not refused."""
    failures = []
    for method, url in pairs:
        response = _ask(client, method, url)
        if not ok(response):
            failures.append(
                f"{label}: {method} {url} -> {response.status_code} "
                f"{response.headers.get('Location', '')}"
            )
    return failures


def _pairs(app, world, select, side=None, **overrides):
    side = side or world.a
    for rule in app_rules(app):
        if not select(rule):
            continue
        for target in targets_for(rule, side, **overrides):
            for method in target.methods():
                yield method, target.url


def _assert_none(failures: list[str], app, before) -> None:
    assert not failures, "Not refused:\n" + "\n".join(failures)
    assert table_fingerprints() == before, "outsiders changed the database"


def _classification_problems(app, world) -> list[str]:
    problems = []
    for rule in app_rules(app):
        if not (
            rule.endpoint in PUBLIC or is_manage(rule) or is_token(rule) or is_api(rule)
        ):
            problems.append(
                f"{rule.endpoint} ({rule.rule}): not public, not an organiser page, "
                "no token. Add it to PUBLIC in tests/security/policy.py "
                "with a reason, or protect it."
            )
        try:
            targets_for(rule, world.a)
            targets_for(rule, world.b)
        except MissingRule as exc:
            problems.append(str(exc))
    return problems


def test_every_route_is_classified_and_filled(world_app, world):
    problems = _classification_problems(world_app, world)
    assert not problems, "\n".join(problems)


def test_a_new_route_without_a_rule_fails_with_advice(world, tmp_path):
    """The control: routes added later cannot escape the matrix."""
    app = make_app("sqlite://", tmp_path)
    app.add_url_rule(
        "/events/<slug>/gadgets/<int:gadget_id>", "events.gadget", lambda **kw: ""
    )
    app.add_url_rule("/gadgets", "events.gadgets", lambda: "")
    problems = "\n".join(_classification_problems(app, world))
    assert (
        "events.gadget (/events/<slug>/gadgets/<int:gadget_id>): no value for"
        in problems
    )
    assert "Add a rule to tests/security/urls.py" in problems
    assert "events.gadgets (/gadgets): not public" in problems


def test_anonymous_visitors_are_refused_everywhere_but_public_routes(world_app, world):
    before = table_fingerprints()
    failures = _sweep(
        world_app,
        world,
        client_for(world_app),
        _pairs(world_app, world, lambda r: is_manage(r)),
        _denied_anonymous,
        "anonymous",
    )
    _assert_none(failures, world_app, before)


def test_organiser_of_another_event_is_refused(world_app, world):
    before = table_fingerprints()
    failures = _sweep(
        world_app,
        world,
        client_for(world_app, world.b.owner_id),
        _pairs(
            world_app, world, lambda r: is_manage(r) and r.endpoint not in OWN_SCOPE
        ),
        _denied,
        "organiser of event B",
    )
    _assert_none(failures, world_app, before)


def test_organiser_home_lists_only_their_own_events(world_app, world):
    page = client_for(world_app, world.b.owner_id).get("/manage/").get_data(True)
    assert "event-b" in page
    assert "event-a" not in page


def test_reviewer_reaches_only_the_review_pages(world_app, world):
    before = table_fingerprints()
    failures = _sweep(
        world_app,
        world,
        client_for(world_app, world.reviewer_id),
        _pairs(
            world_app,
            world,
            lambda r: is_manage(r) and r.endpoint not in REVIEWER_ALLOWED,
        ),
        _denied,
        "reviewer of event A",
    )
    _assert_none(failures, world_app, before)


def test_organiser_cannot_reach_another_events_objects_under_their_slug(
    world_app, world
):
    """Event A's owner, event A's slug, event B's ids (and tokens): 404."""
    before = table_fingerprints()
    pairs = []
    for rule in app_rules(world_app):
        # A content language (``/translations/ms``) is not an object of either
        # event: both demo events offer Malay, so A's own language is A's.
        # A results version's number counts within its event (both demo
        # events publish a version 1): event A's own number, not B's object.
        ids = ("slug", "token", "who", "language", "number")
        ints = [a for a in rule.arguments if a not in ids]
        if "slug" not in rule.arguments or not ints:
            continue
        if is_api(rule):
            continue  # bearer tokens, not cookies: tests/security/test_api_matrix.py
        # kind/fmt are not object ids
        if rule.endpoint in ("dashboard.export", "dashboard.prepare"):
            continue
        for foreign in targets_for(rule, world.b):
            own = targets_for(
                rule,
                world.a,
                **{"who": foreign.values["who"]} if "who" in foreign.values else {},
            )[0]
            values = {**foreign.values, "slug": world.a.slug}
            if "token" in values:
                values["token"] = own.values["token"]
            url = rule.build(values, append_unknown=False)[1]
            pairs += [(m, url) for m in foreign.methods()]
    failures = _sweep(
        world_app,
        world,
        client_for(world_app, world.a.owner_id),
        pairs,
        _denied,
        "event A's organiser with event B's ids",
    )
    _assert_none(failures, world_app, before)


def test_facilitator_reaches_only_its_own_pages(world_app, world):
    """A facilitator of event A: no registrant list, export, dashboard or any
    other organiser page of event A (or B), no facilitator page of event B."""
    before = table_fingerprints()
    client = client_for(world_app, world.facilitator_id)
    others = _pairs(
        world_app,
        world,
        lambda r: (
            is_manage(r)
            and r.endpoint not in FACILITATOR_ALLOWED
            and not is_facilitator_page(r)
        ),
    )
    event_b = _pairs(
        world_app,
        world,
        lambda r: is_facilitator_page(r) and "slug" in r.arguments,
        side=world.b,
    )
    failures = _sweep(
        world_app, world, client, others, _denied, "facilitator of event A"
    )
    failures += _sweep(
        world_app, world, client, event_b, _denied, "facilitator of A on B"
    )
    _assert_none(failures, world_app, before)


def test_facilitator_cannot_open_another_facilitators_people(world_app, world):
    """Another facilitator's person of event A, event B's person under A's
    slug: 404 on every page of a person (priorities, inputs, surveys, the
    person page), for reading and for recording."""
    before = table_fingerprints()
    client = client_for(world_app, world.facilitator_id)
    rules = [
        r
        for r in app_rules(world_app)
        if is_facilitator_page(r) and "registration_id" in r.arguments
    ]
    assert {r.endpoint for r in rules} >= {
        "facilitators.person",
        "facilitators.priorities",
        "facilitators.new_input",
        "facilitators.survey",
    }
    pairs = [
        (method, target.url)
        for rule in rules
        for person in (world.a.ids["facilitated2"], world.b.ids["facilitated"])
        for target in targets_for(rule, world.a, registration_id=person)
        for method in target.methods()
    ]
    assert len(pairs) >= 14  # 7 (page, method) pairs, for two strangers
    failures = _sweep(
        world_app,
        world,
        client,
        pairs,
        lambda r: r.status_code == 404,
        "facilitator, others' people",
    )
    _assert_none(failures, world_app, before)
    own = client.get(f"/facilitate/{world.a.slug}/").get_data(as_text=True)
    assert "Person of facilitator 1" in own
    assert "Person of facilitator 2" not in own


def test_admin_reaches_every_organiser_page(world_app, world):
    """Documented rule: admins manage every event, so they are not refused.
    Facilitator pages are the event's facilitators' own (their people)."""
    admin = client_for(world_app, world.admin_id)
    failures = []
    manage = lambda r: is_manage(r) and not is_facilitator_page(r)  # noqa: E731
    for method, url in _pairs(world_app, world, manage):
        if method != "GET":
            continue
        status = admin.get(url).status_code
        if status >= 400:
            failures.append(f"admin: GET {url} -> {status}")
    assert not failures, "\n".join(failures)


def _token_refused(response) -> bool:
    # A bad reset link sends the visitor to ask for a new one, with a message.
    if response.request.path.startswith("/auth/reset/"):
        return response.status_code == 302 and response.headers["Location"].endswith(
            "/auth/reset"
        )
    return _denied(response)


def _tampered(token: str) -> str:
    return token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")


def test_forged_and_foreign_tokens_open_nothing(world_app, world):
    before = table_fingerprints()
    pairs = []
    for rule in app_rules(world_app):
        if not is_token(rule):
            continue
        for target in targets_for(rule, world.a):
            forged = {**target.values, "token": _tampered(target.values["token"])}
            foreign_token = targets_for(
                rule,
                world.b,
                **({"who": target.values["who"]} if "who" in target.values else {}),
            )[0].values["token"]
            urls = [rule.build(forged, append_unknown=False)[1]]
            if "slug" in rule.arguments:
                # Event B's valid token under event A's slug.
                other = {**target.values, "token": foreign_token}
                urls.append(rule.build(other, append_unknown=False)[1])
            own_only = OWN_OBJECT_ROUTES.get(rule.endpoint)
            if own_only:
                # Participant A2's token, participant A1's object.
                key = own_only[target.values["who"]]
                other = {**target.values, "token": world.a.tokens[key]}
                urls.append(rule.build(other, append_unknown=False)[1])
            pairs += [(m, u) for u in urls for m in target.methods()]
    failures = _sweep(
        world_app, world, client_for(world_app), pairs, _token_refused, "wrong token"
    )
    _assert_none(failures, world_app, before)


def test_personal_survey_link_opens_only_its_own_survey(world_app, world):
    url = (
        f"/events/{world.a.slug}/surveys/{world.a.ids['other_survey']}/"
        f"{world.a.tokens['survey']}"
    )
    assert client_for(world_app).get(url).status_code == 404


def test_public_slug_routes_hide_drafts(world_app, world):
    before = table_fingerprints()
    pairs = list(
        _pairs(
            world_app,
            world,
            lambda r: r.endpoint in PUBLIC and r.arguments == {"slug"},
            slug=world.draft_slug,
        )
    )
    assert pairs, "no public slug routes found"
    failures = _sweep(
        world_app, world, client_for(world_app), pairs, _denied, "anonymous, draft"
    )
    failures += _sweep(
        world_app,
        world,
        client_for(world_app, world.b.owner_id),
        pairs,
        _denied,
        "organiser of event B, draft",
    )
    _assert_none(failures, world_app, before)


def test_another_events_ids_in_form_fields_change_nothing(world_app, world):
    """Ids in the body, not the URL: event B's objects through event A's forms."""
    a, b = world.a, world.b
    organiser = client_for(world_app, a.owner_id)
    participant = client_for(world_app)
    requests = [
        (
            organiser,
            f"/manage/events/{a.slug}/registrations/bulk",
            {"ids": [b.ids["registration"], b.ids["registration2"]], "decision": "approve"},
        ),
        (
            organiser,
            f"/manage/events/{a.slug}/challenges/inputs/{a.ids['input']}/merge",
            {"target_id": b.ids["input"]},
        ),
        (
            organiser,
            "/manage/library/new",
            {"title": "Foreign", "summary": "x", "category": "other", "event": b.ids["event"]},
        ),
        (
            organiser,
            f"/manage/events/{a.slug}/surveys/new",
            {"title": "Foreign types", "kind": "standalone", "audience": "types",
             "type_ids": [b.ids["stakeholder_type"]]},
        ),
        (
            organiser,
            f"/manage/cities/{a.city_slug}/covenant/new",
            {"pillar": "mitigation", "title": "Foreign action", "status": "planned",
             "status_on": field(day(-23)), "action_ids": [b.ids["action"]]},
        ),
        (
            participant,
            f"/events/{a.slug}/registration/{a.tokens['manage']}/inputs/new",
            {"kind": "solution_idea", "challenge_id": b.ids["challenge"],
             "title": "Foreign challenge", "body": "x"},
        ),
    ]  # fmt: skip
    before = table_fingerprints()
    for client, url, data in requests:
        response = client.post(url, data=data)
        assert response.status_code < 500, url
        assert table_fingerprints() == before, f"{url} accepted event B's ids"
