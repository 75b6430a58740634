"""Who may read a city's plan, and what its public routes never reveal.

Every public route of the URL map that takes a city (tests/security/policy.py
PUBLIC, ``city_slug``: this page, its versions, its calendar, and the plan's
files as they come) is asked for the plan city: none may show an unpublished
action or its milestone, nor the owners' address. Those of this page answer
404 for a city that has no published action, so that a plan's drafts do not
even show that a plan exists.
"""

from __future__ import annotations

from consult.extensions import db
from tests.actions.conftest import OWNER_EMAIL, SECRET_MILESTONE, SECRET_TITLE
from tests.security.policy import PUBLIC
from tests.security.urls import app_rules, build

WITHOUT_A_PUBLISHED_ACTION_404 = {"actions.public_plan", "actions.public_plan_ics"}


def _city_urls(app, slug: str) -> dict[str, str]:
    urls = {}
    for rule in app_rules(app):
        if rule.endpoint not in PUBLIC or "city_slug" not in rule.arguments:
            continue
        values = {arg: 1 for arg in rule.arguments if arg != "city_slug"}
        urls[rule.endpoint] = build(rule, {**values, "city_slug": slug})
    return urls


def test_the_city_routes_are_public_and_listed(app):
    urls = _city_urls(app, "petaling-jaya")
    assert WITHOUT_A_PUBLISHED_ACTION_404 | {"actions.plan_version"} <= set(urls)


def test_no_public_city_route_reveals_an_unpublished_action(client, app, plan_city):
    for endpoint, url in _city_urls(app, plan_city.city.slug).items():
        response = client.get(url)
        assert response.status_code < 500, endpoint
        body = response.get_data()
        for secret in (SECRET_TITLE, SECRET_MILESTONE, OWNER_EMAIL):
            assert secret.encode() not in body, (endpoint, secret)


def test_a_plan_with_drafts_only_has_no_page(client, app, plan_city):
    plan_city.pilot.published_at = None
    plan_city.study.published_at = None
    db.session.commit()
    urls = _city_urls(app, plan_city.city.slug)
    for endpoint in WITHOUT_A_PUBLISHED_ACTION_404:
        assert client.get(urls[endpoint]).status_code == 404, endpoint
    for endpoint, url in urls.items():
        body = client.get(url).get_data()
        assert SECRET_TITLE.encode() not in body, endpoint


def test_the_draft_events_challenges_stay_hidden(client, plan_city):
    """A challenge of a draft consultation the city hosts: not on the page,
    even when a published action answers it."""
    event = plan_city.event
    event.status = "draft"
    db.session.commit()
    html = client.get(f"/cities/{plan_city.city.slug}/plan").get_data(as_text=True)
    for challenge in plan_city.challenges:
        assert challenge.title not in html
    # The actions themselves still show, under "Other actions".
    assert "Community composting pilot" in html and "Other actions" in html
