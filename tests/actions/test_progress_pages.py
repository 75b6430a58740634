"""The owner and progress pages through HTTP: what they commit and refuse."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from consult.actions.models import Action, ActionUpdate, Milestone
from consult.actions.services.dates import city_today
from consult.actions.services.tokens import owner_token
from consult.notifications.models import OutboundEmail
from tests.effects import committed, committed_row


def _base(world) -> str:
    return f"/manage/cities/{world.city.slug}/plan/actions/{world.action.id}"


OWNER = {
    "owner-name": "Siti Aminah",
    "owner-email": "siti@example.org",
    "owner-language": "ms",
}


def test_owner_and_updates_are_committed(client, login, organiser, world, now):
    login(organiser)
    base = _base(world)
    action_id = world.action.id
    assert client.post(f"{base}/owner", data=OWNER).status_code == 302
    action = committed_row(Action, action_id)
    assert (action.owner_email, action.owner_language) == ("siti@example.org", "ms")
    [email] = committed().scalars(select(OutboundEmail)).all()
    assert email.recipient == "siti@example.org"

    assert client.post(f"{base}/owner/resend").status_code == 302
    assert committed().query(OutboundEmail).count() == 2
    again = client.post(f"{base}/owner/resend", follow_redirects=True)
    assert "already" in again.get_data(as_text=True)
    assert committed().query(OutboundEmail).count() == 2

    posted = client.post(
        f"{base}/updates",
        data={
            "update-body": "Bins delivered.",
            "update-progress": "30",
            "update-status": "in_progress",
            "update-link": "https://example.org/photos",
        },
    )
    assert posted.status_code == 302
    action = committed_row(Action, action_id)
    assert (action.progress, action.status) == (30, "in_progress")
    update = committed().scalar(select(ActionUpdate))
    assert update.link == "https://example.org/photos"
    assert update.posted_on == city_today(world.city, now)

    page = client.get(f"{base}/progress").get_data(as_text=True)
    assert "Bins delivered." in page and "Siti Aminah" in page

    edited = client.post(
        f"{base}/updates/{update.id}",
        data={"posted_on": update.posted_on.isoformat(), "body": "Bins in place."},
    )
    assert edited.status_code == 302
    assert committed_row(ActionUpdate, update.id).body == "Bins in place."

    assert client.post(f"{base}/updates/{update.id}/delete").status_code == 302
    assert committed_row(ActionUpdate, update.id) is None

    assert client.post(f"{base}/owner/remove").status_code == 302
    action = committed_row(Action, action_id)
    assert action.owner_email == "" and action.owner_name == ""


def test_owner_pages_are_committed(client, owned, now):
    action_id, milestone_id = owned.action.id, owned.milestone.id
    url = f"/actions/owner/{owner_token(owned.action)}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Food waste pilot" in page.get_data(as_text=True)

    posted = client.post(
        url,
        data={"update-body": "Started", "update-progress": "5", "update-status": ""},
    )
    assert posted.status_code == 302
    update = committed().scalar(select(ActionUpdate))
    assert update.author_name == "Siti Aminah" and update.posted_by_id is None
    assert committed_row(Action, action_id).progress == 5

    done = client.post(f"{url}/milestones/{milestone_id}/done")
    assert done.status_code == 302
    assert committed_row(Milestone, milestone_id).done_on == city_today(owned.city, now)

    language = client.post(f"{url}/language", data={"lang-language": "vi"})
    assert language.status_code == 302
    assert committed_row(Action, action_id).owner_language == "vi"


def test_refused_forms_keep_what_was_typed_and_change_nothing(
    client, login, organiser, owned, now
):
    login(organiser)
    base = _base(owned)
    tomorrow = city_today(owned.city, now) + timedelta(days=1)
    refused = client.post(
        f"{base}/updates",
        data={
            "update-posted_on": tomorrow.isoformat(),
            "update-body": "Typed text stays",
            "update-progress": "150",
            "update-link": "javascript:alert(1)",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Typed text stays" in html
    assert "There are 3 problems with this form" in html
    assert "cannot be dated in the future" in html
    assert committed().query(ActionUpdate).count() == 0

    bad_owner = client.post(
        f"{base}/owner",
        data={"owner-name": "", "owner-email": "nope", "owner-language": "ms"},
    )
    assert bad_owner.status_code == 422
    assert 'value="nope"' in bad_owner.get_data(as_text=True)
    assert committed_row(Action, owned.action.id).owner_email == "siti@example.org"

    url = f"/actions/owner/{owner_token(owned.action)}"
    empty = client.post(url, data={"update-body": "  "})
    assert empty.status_code == 422
    assert "Write what happened" in empty.get_data(as_text=True)
    assert committed().query(ActionUpdate).count() == 0


def test_who_may_use_the_routes(
    client, login, other_organiser, owned, make_reg_event, now
):
    from tests.actions.conftest import make_plan_world

    base = _base(owned)
    # Signed out: the login page; another event's organiser: refused.
    assert client.post(f"{base}/owner", data=OWNER).status_code == 302
    assert "/login" in client.post(f"{base}/owner", data=OWNER).headers["Location"]
    login(other_organiser)
    assert client.post(f"{base}/updates", data={"update-body": "x"}).status_code == 403
    assert client.get(f"{base}/progress").status_code == 403
    assert committed().query(ActionUpdate).count() == 0
    # The action under another city's address: not found.
    other = make_plan_world(make_reg_event(title="B"), now, city_name="Subang Jaya")
    assert (
        client.get(
            f"/manage/cities/{other.city.slug}/plan/actions/{owned.action.id}/progress"
        ).status_code
        == 404
    )
    # A forged or revoked link, and another action's milestone: not found.
    token = owner_token(owned.action)
    assert client.get(f"/actions/owner/{token}x").status_code == 404
    assert (
        client.post(
            f"/actions/owner/{token}/milestones/{other.milestone.id}/done"
        ).status_code
        == 404
    )
    assert committed_row(Milestone, other.milestone.id).done_on is None


def test_journey_owner_link_from_the_email_to_an_update(
    client, login, organiser, world, now, outbox
):
    """From the pages: the editor names an owner, the owner follows the link in
    the email, posts an update that moves the action, and marks a milestone."""
    login(organiser)
    base = _base(world)
    page = client.get(f"{base}/progress").get_data(as_text=True)
    assert "No owner yet" in page
    client.post(f"{base}/owner", data={**OWNER, "owner-language": "en"})
    client.get("/logout")
    [email] = outbox()
    text = email.body_text
    committed()  # the fixture composed the row in the test's session: forget it
    link = re.search(r"https?://\S+/actions/owner/\S+", text).group(0)
    path = "/" + link.split("/", 3)[3]

    owner_page = client.get(path).get_data(as_text=True)
    assert "Food waste pilot" in owner_page and "Collection points chosen" in owner_page
    client.post(
        path,
        data={
            "update-body": "Half the collection points are agreed.",
            "update-progress": "50",
            "update-status": "in_progress",
        },
    )
    action = committed_row(Action, world.action.id)
    assert (action.progress, action.status) == (50, "in_progress")
    shown = client.get(path).get_data(as_text=True)
    assert "Half the collection points are agreed." in shown
    assert "Progress: 50%" in shown
    mark = re.search(r'action="([^"]+/done)"', shown).group(1)
    client.post(mark)
    assert committed_row(Milestone, world.milestone.id).done_on is not None
