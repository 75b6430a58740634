"""Organiser registration pages over HTTP: list, actions, export, settings, access."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration, RegistrationQuestion
from tests.registration.confirming import confirm_bulk


def url(event, suffix=""):
    return f"/manage/events/{event.slug}/registrations{suffix}"


def settings_url(event, suffix=""):
    return f"/manage/events/{event.slug}/registration-settings{suffix}"


def test_list_shows_people_counts_and_filters(
    client, login, organiser, reg_event, make_registration
):
    make_registration(reg_event, full_name="Aisha Rahman", organisation="MBPJ")
    make_registration(reg_event, full_name="Bram Peeters", type_key="research")
    login(organiser)
    page = client.get(url(reg_event)).get_data(as_text=True)
    assert "Aisha Rahman" in page and "Bram Peeters" in page
    assert "2 of 100 seats confirmed" in page
    assert "Under-represented" in page
    filtered = client.get(url(reg_event, "?q=mbpj")).get_data(as_text=True)
    assert "Aisha Rahman" in filtered and "Bram Peeters" not in filtered


def test_approve_and_bulk_reject_over_http(
    client, login, organiser, reg_event, make_registration, outbox
):
    a = make_registration(reg_event, status="pending")
    b = make_registration(reg_event, status="pending")
    c = make_registration(reg_event, status="pending")
    login(organiser)
    response = client.post(url(reg_event, f"/{a.id}/approve?status=pending"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("registrations?status=pending")
    rejection = {"ids": [b.id, c.id], "decision": "reject", "reason": "Wrong event"}
    shown = client.post(url(reg_event, "/bulk"), data=rejection)
    assert "This emails 2 people, with your reason." in shown.get_data(as_text=True)
    db.session.expire_all()
    assert [r.status for r in (b, c)] == ["pending", "pending"]
    confirm_bulk(client, url(reg_event, "/bulk"), rejection)
    db.session.expire_all()
    assert [r.status for r in (a, b, c)] == ["confirmed", "rejected", "rejected"]
    assert len(outbox()) == 3


def test_reject_page_requires_a_reason(
    client, login, organiser, reg_event, make_registration
):
    person = make_registration(reg_event, status="pending")
    login(organiser)
    response = client.post(url(reg_event, f"/{person.id}/reject"), data={})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)


def test_confirm_needs_override_past_the_cap(
    client, login, organiser, reg_event, make_registration, stype
):
    stype(reg_event, "private").cap = 0
    db.session.commit()
    waiting = make_registration(reg_event, type_key="private", status="waitlisted")
    login(organiser)
    page = client.post(url(reg_event, f"/{waiting.id}/confirm"), follow_redirects=True)
    assert "exceed the cap" in page.get_data(as_text=True)
    client.post(url(reg_event, f"/{waiting.id}/confirm"), data={"override_cap": "y"})
    db.session.expire_all()
    assert waiting.status == "confirmed"


def test_check_in_toggle(client, login, organiser, reg_event, make_registration):
    person = make_registration(reg_event)
    login(organiser)
    client.post(url(reg_event, f"/{person.id}/check-in"), data={"checked_in": "1"})
    db.session.expire_all()
    assert person.checked_in_at is not None and person.attended
    client.post(url(reg_event, f"/{person.id}/check-in"), data={"checked_in": "0"})
    db.session.expire_all()
    assert person.checked_in_at is None and not person.attended


def test_assisted_registration_is_counted(client, login, organiser, reg_event):
    login(organiser)
    response = client.post(
        url(reg_event, "/new"),
        data={
            "full_name": "Siti Aminah",
            "phone": "+60 12 345 6789",
            "country": "MY",
            "type_key": "informal",
            "role": "attendee",
            "timezone": "Asia/Kuala_Lumpur",
            "consent_privacy": "y",
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Registration))
    assert person.assisted and person.assisted_by_id == organiser.id
    assert person.email is None and person.status == "confirmed"
    db.session.refresh(reg_event)
    assert reg_event.confirmed_count == 1


def test_bulk_message_preview_and_send(
    client, login, organiser, reg_event, make_registration, outbox
):
    make_registration(reg_event, status="waitlisted")
    make_registration(reg_event)
    make_registration(reg_event, status="waitlisted", email="", assisted=True)
    login(organiser)
    preview = client.get(url(reg_event, "/message?status=waitlisted"))
    assert "goes to 1 person" in preview.get_data(as_text=True)
    client.post(
        url(reg_event, "/message?status=waitlisted"),
        data={
            "statuses": "waitlisted",
            "subject": "News",
            "body": "A seat may free up.",
            "send": "1",
        },  # fmt: skip
    )
    assert len(outbox()) == 1 and outbox()[0].subject == "News"


def test_csv_export(client, login, organiser, reg_event, make_registration):
    make_registration(reg_event, full_name='=HYPERLINK("x")')
    login(organiser)
    response = client.get(f"/manage/events/{reg_event.slug}/registrations.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert body.startswith("\ufeff") and "'=HYPERLINK" in body
    assert reg_event.join_url not in body


class TestSettings:
    def test_defaults_come_with_the_event_and_a_visit_writes_none(
        self, client, login, organiser, make_reg_event
    ):
        from consult.registration.models import StakeholderType

        event = make_reg_event()
        login(organiser)
        page = client.get(settings_url(event)).get_data(as_text=True)
        assert "Informal sector &amp; community groups" in page
        db.session.execute(
            StakeholderType.__table__.delete().where(
                StakeholderType.event_id == event.id
            )
        )
        db.session.commit()
        page = client.get(settings_url(event)).get_data(as_text=True)
        assert "Informal sector &amp; community groups" not in page
        assert (
            db.session.scalars(
                select(StakeholderType).where(StakeholderType.event_id == event.id)
            ).all()
            == []
        )

    def test_settings_saved_and_validated(self, client, login, organiser, reg_event):
        login(organiser)
        data = {
            "requires_approval": "y",
            "privacy_notice_version": "2026-11",
            "attendance_threshold_minutes": "20",
        }
        assert client.post(settings_url(reg_event), data=data).status_code == 302
        db.session.refresh(reg_event)
        assert reg_event.requires_approval and not reg_event.waitlist_enabled
        assert reg_event.attendance_threshold_minutes == 20
        bad = client.post(
            settings_url(reg_event), data={**data, "attendance_threshold_minutes": "-1"}
        )
        assert bad.status_code == 422

    @pytest.mark.parametrize(
        "form, field",
        [
            ({"label": "Media", "target_share": "5"}, "target_share"),
            ({"label": "Media", "target_share": "0", "cap": "-1"}, "cap"),
        ],
    )
    def test_type_validation(self, client, login, organiser, reg_event, form, field):
        login(organiser)
        response = client.post(settings_url(reg_event, "/types"), data=form)
        assert response.status_code == 422
        assert f'id="{field}-error"' in response.get_data(as_text=True)

    def test_type_with_registrations_cannot_be_removed(
        self, client, login, organiser, reg_event, make_registration, stype
    ):
        make_registration(reg_event, type_key="private")
        login(organiser)
        kind = stype(reg_event, "private")
        page = client.post(
            settings_url(reg_event, f"/types/{kind.id}/remove"), follow_redirects=True
        )
        assert "cannot be removed" in page.get_data(as_text=True)
        assert stype(reg_event, "private") is not None

    def test_questions_add_validate_reorder(self, client, login, organiser, reg_event):
        login(organiser)
        bad = client.post(
            settings_url(reg_event, "/questions/new"),
            data={"label": "Sector", "kind": "choice", "choices": "Only one"},
        )
        assert bad.status_code == 422 and 'id="choices-error"' in bad.get_data(
            as_text=True
        )
        for label in ("Level", "Sector"):
            client.post(
                settings_url(reg_event, "/questions/new"),
                data={"label": label, "kind": "text", "type_keys": ["government"]},
            )
        second = db.session.scalar(
            select(RegistrationQuestion).where(RegistrationQuestion.label == "Sector")
        )
        assert second.type_keys == ["government"]
        client.post(
            settings_url(reg_event, f"/questions/{second.id}/move"),
            data={"direction": "up"},
        )
        db.session.expire_all()
        labels = db.session.scalars(
            select(RegistrationQuestion.label).order_by(RegistrationQuestion.position)
        )
        assert list(labels) == ["Sector", "Level"]


PAGES = [
    ("get", ""),
    ("get", "/new"),
    ("get", "/message"),
    ("get", ".csv"),
    ("post", "/bulk"),
    ("post", "/{id}/approve"),
    ("post", "/{id}/confirm"),
    ("get", "/{id}/waitlist"),
    ("post", "/{id}/waitlist"),
    ("post", "/{id}/cancel"),
    ("get", "/{id}/erase"),
    ("post", "/{id}/erase"),
    ("post", "/{id}/check-in"),
    ("get", "/{id}/reject"),
    ("settings-get", ""),
    ("settings-post", "/types"),
]


def _call(client, event, registration, method, suffix):
    suffix = suffix.replace("{id}", str(registration.id))
    if method.startswith("settings-"):
        method, path = method.split("-")[1], settings_url(event, suffix)
    elif suffix == ".csv":
        path = f"/manage/events/{event.slug}/registrations.csv"
    else:
        path = url(event, suffix)
    return getattr(client, method)(path)


@pytest.mark.parametrize("method, suffix", PAGES)
def test_another_organiser_is_refused(
    client, login, other_organiser, reg_event, make_registration, method, suffix
):
    person = make_registration(reg_event, status="pending")
    login(other_organiser)
    response = _call(client, reg_event, person, method, suffix)
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert person.status == "pending"


@pytest.mark.parametrize("method, suffix", PAGES)
def test_anonymous_is_sent_to_login(
    client, reg_event, make_registration, method, suffix
):
    person = make_registration(reg_event, status="pending")
    response = _call(client, reg_event, person, method, suffix)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "suffix", ["/approve", "/confirm", "/cancel", "/check-in", "/waitlist", "/erase"]
)
def test_registration_of_another_event_is_404(
    client, login, organiser, reg_event, make_reg_event, make_registration, suffix
):
    other = make_reg_event(title="Another webinar")
    stranger = make_registration(other, status="pending")
    login(organiser)
    response = client.post(url(reg_event, f"/{stranger.id}{suffix}"))
    assert response.status_code == 404
    db.session.expire_all()
    assert stranger.status == "pending"
