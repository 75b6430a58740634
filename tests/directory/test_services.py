"""Directory rules, without HTTP: who is listed and who sees it, profiles,
meeting requests and their emails, the daily limit, blocks and reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.directory.models import MeetingRequest
from consult.directory.services.listing import (
    DirectoryFilter,
    directory_page,
    visible_person,
)
from consult.directory.services.meetings import (
    accept_request,
    decline_request,
    send_request,
)
from consult.directory.services.profiles import (
    ProfileData,
    leave_directory,
    profile_of,
    save_profile,
)
from consult.directory.services.safety import (
    block,
    event_reports,
    remove_from_directory,
    report,
)
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.registration.services.privacy import erase
from tests.clock import wall


def names(viewer, filters=None):
    page = directory_page(viewer, filters or DirectoryFilter(), page=1)
    return [r.full_name for r in page.items]


def test_lists_only_confirmed_people_who_opted_in(
    dir_event, amina, jan, listed, make_registration
):
    listed(full_name="Waiting Wu", status="waitlisted")
    listed(full_name="Pending Pat", status="pending")
    make_registration(dir_event, full_name="Quiet Quinn")  # confirmed, no consent
    db.session.commit()
    assert names(amina) == ["Jan de Vries"]
    assert names(jan) == ["Amina Rahman"]


def test_only_confirmed_listed_people_see_the_directory(
    dir_event, amina, listed, make_registration
):
    waiting = listed(full_name="Waiting Wu", status="waitlisted")
    quiet = make_registration(dir_event, full_name="Quiet Quinn")
    for outsider in (waiting, quiet):
        with pytest.raises(PermissionDenied):
            directory_page(outsider, DirectoryFilter(), page=1)


def test_withdrawing_consent_removes_at_once(amina, jan, now):
    assert names(amina) == ["Jan de Vries"]
    leave_directory(jan)
    db.session.commit()
    assert names(amina) == []
    with pytest.raises(NotFound):
        visible_person(amina, jan.id)


def test_profile_saves_bounded_texts_and_the_events_challenges(
    amina, jan, challenges, now
):
    profile = save_profile(
        jan,
        ProfileData(
            listed=True,
            looking_for="  Partners   for compost ",
            offering="Sorting lines",
            topics="biogas",
            challenge_ids=[challenges[0].id],
        ),
        now=now,
    )
    assert profile.looking_for == "Partners for compost"
    assert [c.title for c in profile.challenges] == ["Food and organic waste"]
    with pytest.raises(ValidationFailed) as refused:
        save_profile(
            jan,
            ProfileData(listed=True, looking_for="x" * 301, challenge_ids=[99999]),
            now=now,
        )
    assert {field for field, _ in refused.value.problems} == {
        "looking_for",
        "challenges",
    }


def test_filters_by_country_type_and_challenge(
    amina, jan, listed, challenges, stype, now
):
    listed(full_name="Lena Schmidt", country="DE", type_key="research")
    save_profile(
        jan, ProfileData(listed=True, challenge_ids=[challenges[1].id]), now=now
    )
    db.session.commit()
    assert names(amina, DirectoryFilter(country="NL")) == ["Jan de Vries"]
    research = stype(amina.event, "research")
    assert names(amina, DirectoryFilter(type_id=research.id)) == ["Lena Schmidt"]
    assert names(amina, DirectoryFilter(challenge_id=challenges[1].id)) == [
        "Jan de Vries"
    ]


def test_request_emails_the_recipient_without_the_senders_address(
    amina, jan, outbox, now
):
    request = send_request(
        amina,
        jan.id,
        "Let us talk compost",
        [wall(3, 10)],
        "Asia/Kuala_Lumpur",
        now=now,
    )
    db.session.commit()
    assert request.slots[0].start_at == wall(3, 2).replace(tzinfo=now.tzinfo)
    (email,) = outbox()
    assert email.recipient == "jan@example.nl"
    assert "Amina Rahman" in email.body_text
    assert "amina@example.my" not in email.body_text + email.body_html
    assert "Let us talk compost" in email.body_text
    assert not email.attachments


def test_accepting_gives_both_addresses_and_invites(amina, jan, outbox, now):
    request = send_request(
        amina, jan.id, "", [wall(3, 10)], "Asia/Kuala_Lumpur", now=now
    )
    accept_request(jan, request.id, request.slots[0].id, now=now)
    db.session.commit()
    accepted = [e for e in outbox() if "agreed" in e.subject]
    to_amina = next(e for e in accepted if e.recipient == "amina@example.my")
    to_jan = next(e for e in accepted if e.recipient == "jan@example.nl")
    assert "jan@example.nl" in to_amina.body_text
    assert "amina@example.my" in to_jan.body_text
    assert {a.filename for a in to_amina.attachments} == {"meeting.ics"}


def test_decline_and_double_answers(amina, jan, now):
    request = send_request(amina, jan.id, "", [wall(3, 10)], "UTC", now=now)
    decline_request(jan, request.id, now=now)
    assert request.status == "declined"
    with pytest.raises(Conflict):
        accept_request(jan, request.id, request.slots[0].id, now=now)
    with pytest.raises(NotFound):  # not the recipient
        decline_request(amina, request.id, now=now)


def test_slots_must_be_future_and_at_most_three(amina, jan, now):
    with pytest.raises(ValidationFailed):
        send_request(amina, jan.id, "", [wall(-1, 10)], "UTC", now=now)
    with pytest.raises(ValidationFailed):
        send_request(amina, jan.id, "", [None, None], "UTC", now=now)
    with pytest.raises(ValidationFailed):
        send_request(
            amina, jan.id, "", [wall(2, h) for h in (8, 9, 10, 11)], "UTC", now=now
        )


def test_daily_limit_counts_stored_requests(app, amina, listed, now):
    app.config["MEETING_REQUEST_DAILY_LIMIT"] = 2
    others = [listed(full_name=f"Other {n}") for n in range(3)]
    for other in others[:2]:
        send_request(amina, other.id, "", [wall(2, 9)], "UTC", now=now)
    with pytest.raises(ValidationFailed):
        send_request(amina, others[2].id, "", [wall(2, 9)], "UTC", now=now)
    # A day later the window has moved on.
    later = now + timedelta(hours=24, minutes=1)
    send_request(amina, others[2].id, "", [wall(3, 9)], "UTC", now=later)
    assert db.session.query(MeetingRequest).count() == 3


def test_block_hides_both_ways_and_stops_requests(amina, jan, now):
    request = send_request(amina, jan.id, "", [wall(3, 10)], "UTC", now=now)
    block(jan, amina.id, now=now)
    db.session.commit()
    assert request.status == "declined"
    assert names(jan) == [] and names(amina) == []
    with pytest.raises(NotFound):
        send_request(amina, jan.id, "", [wall(3, 10)], "UTC", now=now)


def test_report_and_removal_by_an_organiser(amina, jan, organiser, now):
    with pytest.raises(ValidationFailed):
        report(jan, amina.id, "   ", now=now)
    report(amina, jan.id, "Sells something else", now=now)
    (row,) = event_reports(amina.event)
    remove_from_directory(amina.event, row.id, organiser, now=now)
    db.session.commit()
    assert names(amina) == []
    assert event_reports(amina.event)[0].closed_at is not None
    with pytest.raises(PermissionDenied):  # a removed profile uses it no more
        directory_page(jan, DirectoryFilter(), page=1)


def test_erasure_removes_the_profile_and_the_texts_written(amina, jan, now):
    save_profile(jan, ProfileData(listed=True, offering="Compost"), now=now)
    request = send_request(
        jan, amina.id, "Private words", [wall(3, 10)], "UTC", now=now
    )
    report(jan, amina.id, "A reason", now=now)
    erase(jan, now=now)
    db.session.commit()
    assert names(amina) == []
    assert request.message == ""
    assert profile_of(jan) is None
    assert event_reports(amina.event)[0].reason == ""
