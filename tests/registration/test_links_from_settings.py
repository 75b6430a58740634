"""Every absolute link comes from settings: the same in a request and in a job."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.calendar.feeds import feed_token
from consult.calendar.ics import event_url
from consult.contributions.services.city import (
    invite_representative,
    representative_url,
)
from consult.extensions import db
from consult.links import external_url
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_url
from tests.registration.test_public_pages import form

# What a request looks like behind a TLS-terminating proxy that rewrites
# nothing: plain http, an internal host and port, the app mounted under a path.
PROXIED = {
    "base_url": "http://proxy.internal:8080/",
    "environ_overrides": {"SCRIPT_NAME": "/mounted"},
}


@pytest.fixture
def https_app(app):
    app.config["PREFERRED_URL_SCHEME"] = "https"
    return app


def _links(registration, rep) -> dict[str, str]:
    event = registration.event
    return {
        "manage": manage_url(registration),
        "representative": representative_url(rep),
        "event page": event_url(event),
        "feed": external_url("calendar.feed", token=feed_token(registration)),
    }


def test_links_built_in_a_request_equal_those_built_by_a_job(
    https_app, reg_event, make_registration, organiser, now
):
    registration = make_registration(reg_event)
    rep = invite_representative(
        reg_event, organiser, name="Nurul Huda", email="nurul@mbpj.gov.my", now=now
    )
    db.session.commit()
    from_job = _links(registration, rep)
    with https_app.test_request_context("/", **PROXIED):
        from_request = _links(registration, rep)
    assert from_request == from_job
    for link in from_job.values():
        assert link.startswith("https://consult.test/"), link


def test_registration_over_plain_http_mails_the_configured_https_link(
    https_app, client, reg_event, outbox
):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(),
        base_url="http://proxy.internal:8080/",
    )
    assert response.status_code == 200
    [mail] = outbox()
    [link] = set(re.findall(r"\S+/registration/[^\s/]+", mail.body_text))
    # The job that sends reminders builds the same link for this registrant.
    registration = db.session.scalar(select(Registration))
    assert link == manage_url(registration)
    assert link.startswith(f"https://consult.test/events/{reg_event.slug}/")


def test_pages_show_the_configured_public_address(
    https_app, client, login, reg_event, organiser
):
    login(organiser)
    # Over plain http (the session cookie belongs to the configured host).
    page = client.get(
        f"/manage/events/{reg_event.slug}/", base_url="http://consult.test/"
    ).get_data(as_text=True)
    assert f"https://consult.test/events/{reg_event.slug}<" in page
