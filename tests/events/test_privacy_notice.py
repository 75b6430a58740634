"""An event's privacy notice (issue 21, 3): versions, the organiser's editing
page, the public page, the links from consent boxes and the footer, and the
version in a person's data download."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import Event, PrivacyNotice
from consult.events.services import clone_event
from consult.events.services.privacy import (
    current_notice,
    default_notice_text,
    notice_of,
    save_notice,
)
from consult.extensions import db
from consult.registration.models import Registration
from tests.effects import committed, committed_row
from tests.events.test_manage_pages import FORM as EVENT_FORM
from tests.registration.test_public_pages import form as registration_form
from tests.registration.test_public_pages import manage_url

NEW_TEXT = "## Who is responsible\n\nThe City of Petaling Jaya.\n"


def _versions(event) -> list[tuple[int, str]]:
    return [
        (n.number, n.text_md)
        for n in committed().scalars(
            select(PrivacyNotice)
            .where(PrivacyNotice.event_id == event.id)
            .order_by(PrivacyNotice.number)
        )
    ]


def test_a_new_event_starts_with_the_default_notice(reg_event, organiser):
    [(number, text)] = _versions(reg_event)
    assert number == 1 and reg_event.privacy_notice_version == "1"
    assert "organiser@example.org" in text and "Designing Circular Cities" in text
    # It promises only what Consult does: nothing deleted on a schedule.
    assert "deletes nothing on a schedule" in text
    assert "download your data" in text and "erase your data" in text


def test_a_changed_text_is_a_new_version_and_the_same_text_is_nothing(
    reg_event, organiser, now
):
    first = current_notice(reg_event).text_md
    form_version = reg_event.registration_version
    # The same text, as a browser sends it (CR LF, trailing spaces), is no change.
    assert (
        save_notice(reg_event, organiser, first.replace("\n", "  \r\n"), now=now)
        is None
    )
    db.session.commit()
    assert len(_versions(reg_event)) == 1

    later = now + timedelta(hours=1)
    notice = save_notice(reg_event, organiser, NEW_TEXT, now=later)
    db.session.commit()
    assert (notice.number, notice.created_by_id, notice.created_at) == (
        2,
        organiser.id,
        later,
    )
    stored = committed_row(Event, reg_event.id)
    assert stored.privacy_notice_version == "2"
    # The registration form's kept copy is refreshed (form_data.py).
    assert stored.registration_version > form_version
    assert _versions(reg_event) == [(1, first), (2, NEW_TEXT)]
    assert notice_of(reg_event, "1").text_md == first


def test_refusals_change_nothing(reg_event, organiser, other_organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        save_notice(reg_event, organiser, "   ", now=now)
    assert refused.value.field == "text_md"
    with pytest.raises(ValidationFailed):
        save_notice(reg_event, organiser, "x" * 20_001, now=now)
    with pytest.raises(PermissionDenied):
        save_notice(reg_event, other_organiser, NEW_TEXT, now=now)
    db.session.rollback()
    assert len(_versions(reg_event)) == 1


def test_an_event_without_a_stored_notice_keeps_its_default_as_version_1(
    reg_event, organiser, now
):
    # Events made before notices were stored (factories, hand-made rows).
    db.session.execute(
        PrivacyNotice.__table__.delete().where(PrivacyNotice.event_id == reg_event.id)
    )
    db.session.commit()
    assert notice_of(reg_event, 1).text_md == default_notice_text(reg_event)
    assert notice_of(reg_event, 2) is None and notice_of(reg_event, "2026-11") is None
    save_notice(reg_event, organiser, NEW_TEXT, now=now)
    db.session.commit()
    assert [n for n, _ in _versions(reg_event)] == [1, 2]


def test_a_clone_starts_from_its_source_notice(reg_event, organiser, now):
    save_notice(reg_event, organiser, NEW_TEXT, now=now)
    clone = clone_event(reg_event, organiser, now=now)
    db.session.commit()
    assert _versions(clone) == [(1, NEW_TEXT)]
    assert clone.privacy_notice_version == "1"


def test_consents_record_the_version_and_the_download_has_its_text(
    client, reg_event, organiser, now
):
    client.post(f"/events/{reg_event.slug}/register", data=registration_form())
    save_notice(reg_event, organiser, NEW_TEXT, now=now)
    db.session.commit()
    client.post(
        f"/events/{reg_event.slug}/register",
        data=registration_form(email="siti@example.my", full_name="Siti"),
    )
    people = committed().scalars(select(Registration).order_by(Registration.id)).all()
    assert [p.privacy_notice_version for p in people] == ["1", "2"]
    for person, number in zip(people, (1, 2), strict=True):
        download = client.get(manage_url(person) + "/data.json")
        consent = json.loads(download.get_data(as_text=True))["consents"]
        assert consent["privacy_notice"]["version"] == str(number)
        assert consent["privacy_notice"]["text"] == notice_of(reg_event, number).text_md
        assert consent["privacy_notice"]["url"].endswith(
            f"/events/{reg_event.slug}/privacy?version={number}"
        )


def test_the_organiser_edits_the_notice_through_its_page(
    client, login, organiser, reg_event
):
    login(organiser)
    url = f"/manage/events/{reg_event.slug}/privacy-notice"
    page = client.get(url).get_data(as_text=True)
    assert 'name="text_md"' in page and "Current version: 1." in page
    empty = client.post(url, data={"text_md": "  "})
    assert empty.status_code == 422 and len(_versions(reg_event)) == 1
    saved = client.post(url, data={"text_md": NEW_TEXT})
    assert saved.status_code == 302
    assert [n for n, _ in _versions(reg_event)] == [1, 2]
    assert committed_row(Event, reg_event.id).privacy_notice_version == "2"
    again = client.post(url, data={"text_md": NEW_TEXT}, follow_redirects=True)
    assert "unchanged" in again.get_data(as_text=True)
    assert len(_versions(reg_event)) == 2


def test_only_managers_edit_the_notice(client, login, other_organiser, reg_event):
    login(other_organiser)
    url = f"/manage/events/{reg_event.slug}/privacy-notice"
    assert client.post(url, data={"text_md": NEW_TEXT}).status_code == 403
    assert len(_versions(reg_event)) == 1


def test_the_public_page_shows_the_current_and_any_version(
    client, reg_event, organiser, now
):
    save_notice(reg_event, organiser, NEW_TEXT, now=now)
    db.session.commit()
    base = f"/events/{reg_event.slug}/privacy"
    current = client.get(base).get_data(as_text=True)
    assert "The City of Petaling Jaya." in current and "Version 2," in current
    old = client.get(f"{base}?version=1").get_data(as_text=True)
    assert "organiser@example.org" in old and "earlier version" in old
    assert client.get(f"{base}?version=3").status_code == 404
    assert "Version 2," in client.get(f"{base}?version=x").get_data(as_text=True)


def test_a_drafts_notice_is_for_its_organisers_only(client, make_reg_event):
    draft = make_reg_event(publish=False)
    assert client.get(f"/events/{draft.slug}/privacy").status_code == 404


def test_consent_boxes_and_footers_link_to_the_notice(client, reg_event):
    notice = f"/events/{reg_event.slug}/privacy"
    form_page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    # A new tab keeps what the visitor typed, and says so.
    assert f'href="{notice}?version=1" target="_blank" rel="noopener"' in form_page
    assert "opens in a new tab" in form_page
    event_page = client.get(f"/events/{reg_event.slug}").get_data(as_text=True)
    assert f'href="{notice}"' in event_page
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home
    site = client.get("/privacy").get_data(as_text=True)
    assert "its own privacy notice" in site


def test_the_manage_page_shows_the_version_agreed(client, reg_event):
    client.post(f"/events/{reg_event.slug}/register", data=registration_form())
    person = committed().scalar(select(Registration))
    page = client.get(manage_url(person)).get_data(as_text=True)
    assert f"/events/{reg_event.slug}/privacy?version=1" in page


def test_journey_from_pages_notice_edit_then_registration_and_download(
    client, login, organiser, outbox
):
    """An empty database and an organiser account: the organiser creates and
    publishes an event, changes its notice; a participant registers from the
    form and their data download names version 2 and its text."""
    login(organiser)
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    slug = committed().scalar(select(Event.slug))
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    edit = client.get(f"/manage/events/{slug}/privacy-notice").get_data(as_text=True)
    default = re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", edit, re.S).group(1)
    assert "organiser@example.org" in default
    changed = client.post(
        f"/manage/events/{slug}/privacy-notice",
        data={"text_md": NEW_TEXT},
        follow_redirects=True,
    )
    assert "saved as version 2" in changed.get_data(as_text=True)
    with client.session_transaction() as session:
        session.clear()

    form_page = client.get(f"/events/{slug}/register").get_data(as_text=True)
    assert f"/events/{slug}/privacy?version=2" in form_page
    notice_page = client.get(f"/events/{slug}/privacy?version=2").get_data(as_text=True)
    assert "The City of Petaling Jaya." in notice_page
    done = client.post(f"/events/{slug}/register", data=registration_form())
    assert done.status_code == 200
    [mail] = outbox()
    db.session.commit()  # outbox() composed the confirmation in this session
    link = re.search(r"https?://[^\s]+/registration/[^\s]+", mail.body_text).group(0)
    manage_path = re.sub(r"^https?://[^/]+", "", link)
    manage_page = client.get(manage_path).get_data(as_text=True)
    data_link = re.search(r'href="([^"]+/data\.json)"', manage_page).group(1)
    data = json.loads(client.get(data_link).get_data(as_text=True))
    assert data["consents"]["privacy_notice_version"] == "2"
    assert data["consents"]["privacy_notice"]["text"] == NEW_TEXT
    assert committed().scalar(select(func.count(Registration.id))) == 1


def test_a_consent_to_a_replaced_notice_is_asked_again(
    client, reg_event, organiser, now
):
    form_page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    assert 'name="notice_version_seen" value="1"' in form_page
    save_notice(reg_event, organiser, NEW_TEXT, now=now)  # while they type
    db.session.commit()
    url = f"/events/{reg_event.slug}/register"
    stale = client.post(url, data=registration_form(notice_version_seen="1"))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 422 and "it is now version 2" in page
    assert 'name="notice_version_seen" value="2"' in page
    assert 'value="Jan de Vries"' in page  # nothing typed is lost
    assert not re.search(r'<input[^>]*id="consent_privacy"[^>]*checked', page)
    assert committed().scalar(select(func.count(Registration.id))) == 0
    fresh = client.post(url, data=registration_form(notice_version_seen="2"))
    assert fresh.status_code == 200
    assert committed().scalar(select(Registration.privacy_notice_version)) == "2"


def test_the_default_shows_names_and_titles_as_typed(client, make_reg_event):
    event = make_reg_event(title="*Circular* <b>cities</b> [x](javascript:alert(1))")
    page = client.get(f"/events/{event.slug}/privacy").get_data(as_text=True)
    assert "“*Circular* &lt;b&gt;cities&lt;/b&gt; [x](javascript:alert(1))”" in page
    assert "<b>cities" not in page and 'href="javascript' not in page


def test_two_organisers_saving_at_once_get_two_versions(
    app, reg_event, organiser, other_organiser, now
):
    from consult.events.services import add_co_organiser
    from tests.registration.test_concurrency import run_together

    add_co_organiser(reg_event, organiser, other_organiser.email, now=now)
    db.session.commit()
    event_id, users = reg_event.id, (organiser.id, other_organiser.id)

    def job(user_id, text):
        def save():
            from consult.auth.models import User

            event = db.session.get(Event, event_id)
            return save_notice(event, db.session.get(User, user_id), text, now=now)

        return save

    results, errors = run_together(
        app, [job(users[0], NEW_TEXT), job(users[1], NEW_TEXT + "\nAlso.\n")]
    )
    assert errors == [] and len(results) == 2
    assert [n for n, _ in _versions(reg_event)] == [1, 2, 3]
    assert committed_row(Event, event_id).privacy_notice_version == "3"
