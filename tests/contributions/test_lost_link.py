"""'Lost your link?': personal links emailed again, without telling who has any."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.contributions.services import (
    erase_proposal,
    proposal_url,
    resend_links,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from tests.conftest import make_app


def link_emails(outbox):
    return [m for m in outbox() if m.template == "contribution_link_resent"]


def test_each_proposal_of_the_address_gets_its_link(
    cb_event, make_proposal, now, outbox
):
    first = make_proposal(cb_event)
    second = make_proposal(cb_event, title="Deposit return for takeaway boxes")
    make_proposal(cb_event, proposer_email="someone.else@example.eu")
    assert resend_links(cb_event, "  Marta@Example.PL ", now=now) == 2
    db.session.commit()
    mails = link_emails(outbox)
    assert [m.recipient for m in mails] == ["marta@example.pl"] * 2
    assert proposal_url(first) in mails[0].body_text
    assert proposal_url(second) in mails[1].body_text
    assert proposal_url(first) in mails[0].body_html
    assert "Repair cafés with housing cooperatives" in mails[0].body_text
    assert cb_event.title in mails[0].subject


def test_an_unknown_address_queues_nothing(cb_event, make_proposal, now, outbox):
    make_proposal(cb_event)
    assert resend_links(cb_event, "nobody@example.org", now=now) == 0
    assert link_emails(outbox) == []


def test_only_this_events_proposals(
    cb_event, make_cb_event, make_proposal, now, outbox
):
    other = make_cb_event(title="Another webinar")
    make_proposal(other)
    assert resend_links(cb_event, "marta@example.pl", now=now) == 0
    assert link_emails(outbox) == []


def test_an_erased_proposal_gets_no_link(cb_event, make_proposal, now, outbox):
    proposal = make_proposal(cb_event)
    erase_proposal(proposal, now=now)
    db.session.commit()
    assert resend_links(cb_event, "marta@example.pl", now=now) == 0
    assert link_emails(outbox) == []


@pytest.mark.parametrize("address", ["", "marta", "a@b@c", "x@example.org, y@z.eu"])
def test_a_malformed_address_is_refused_on_the_field(cb_event, now, address, outbox):
    with pytest.raises(ValidationFailed) as exc:
        resend_links(cb_event, address, now=now)
    assert exc.value.field == "email"
    assert "valid email address" in exc.value.message
    assert link_emails(outbox) == []


def test_at_most_one_link_email_per_proposal_in_ten_minutes(
    cb_event, make_proposal, now, outbox
):
    make_proposal(cb_event)
    first_at = now + timedelta(minutes=9)  # late in one 10-minute window
    assert resend_links(cb_event, "marta@example.pl", now=first_at) == 1
    db.session.commit()
    # Again 1 and 2 minutes later: the same window, then the next one.
    for later in (1, 2, 9):
        moment = first_at + timedelta(minutes=later)
        assert resend_links(cb_event, "marta@example.pl", now=moment) == 0
        db.session.commit()
    assert len(link_emails(outbox)) == 1
    # Ten minutes after the first one, a new email may leave.
    assert (
        resend_links(
            cb_event,
            "marta@example.pl",
            now=first_at + timedelta(minutes=10, seconds=1),
        )
        == 1
    )
    db.session.commit()
    assert len(link_emails(outbox)) == 2


# Through HTTP.


def resend(client, event, email):
    return client.post(
        f"/events/{event.slug}/contribute/link",
        data={"email": email},
        follow_redirects=True,
    )


def flashes(response) -> str:
    html = response.get_data(as_text=True)
    found = re.search(r'<section class="flashes".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_call_page_has_the_lost_link_form(client, cb_event):
    html = client.get(f"/events/{cb_event.slug}/contribute").get_data(as_text=True)
    assert "Lost your link?" in html
    assert f'action="/events/{cb_event.slug}/contribute/link"' in html
    assert 'id="email"' in html


def test_the_answer_is_the_same_for_known_and_unknown_addresses(
    client, cb_event, make_proposal, outbox
):
    proposal = make_proposal(cb_event)
    known = resend(client, cb_event, "marta@example.pl")
    unknown = resend(client, cb_event, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    message = (
        "sent proposals for this event, we have emailed their personal links to it"
    )
    known_flash = flashes(known).replace("marta@example.pl", "ADDRESS")
    unknown_flash = flashes(unknown).replace("nobody@example.org", "ADDRESS")
    assert message in known_flash and known_flash == unknown_flash
    (mail,) = link_emails(outbox)
    assert mail.recipient == "marta@example.pl"
    assert proposal_url(proposal) in mail.body_text


def test_a_second_request_soon_after_queues_nothing_new(
    client, cb_event, make_proposal, outbox
):
    make_proposal(cb_event)
    resend(client, cb_event, "marta@example.pl")
    again = resend(client, cb_event, "marta@example.pl")
    assert "we have emailed their personal links to it" in again.get_data(as_text=True)
    assert len(link_emails(outbox)) == 1


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Enter the email address you used for your proposal."),
        ("not an address", "Enter a valid email address"),
    ],
)
def test_a_bad_address_is_explained_next_to_the_field(
    client, cb_event, make_proposal, email, message, outbox
):
    make_proposal(cb_event)
    before = db.session.scalar(select(func.count(OutboundEmail.id)))
    response = client.post(
        f"/events/{cb_event.slug}/contribute/link", data={"email": email}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in html and message in html
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == before


def test_no_call_or_draft_event_has_no_lost_link_form(
    client, reg_event, make_reg_event
):
    assert (
        client.post(
            f"/events/{reg_event.slug}/contribute/link", data={"email": "a@b.eu"}
        ).status_code
        == 404
    )
    draft = make_reg_event(publish=False)
    assert (
        client.post(
            f"/events/{draft.slug}/contribute/link", data={"email": "a@b.eu"}
        ).status_code
        == 404
    )


def test_link_requests_are_limited_per_address(database_url, tmp_path, cb_event):
    slug = cb_event.slug
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        CONTRIBUTION_RATE_LIMIT="2 per minute",
        SERVER_NAME="consult.test",
    )
    client = limited.test_client()
    codes = [
        client.post(
            f"/events/{slug}/contribute/link",
            data={"email": f"p{n}@example.eu"},
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()
