"""The outbox page: admins only, rows and scheduler health, retry of failed mail."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.notifications.services import heartbeat
from consult.timeutil import now_utc


def _fail(email, error="550 5.1.1 No such user"):
    email.status, email.attempts, email.last_error = "failed", 1, error
    db.session.commit()
    return email


def test_admin_sees_messages_and_scheduler_health(
    app, client, login, admin, queue_notice
):
    queue_notice("page:1", to="siti@example.my", subject="Agenda for Petaling Jaya")
    _fail(queue_notice("page:2", to="gone@example.org"))
    heartbeat("deliver_outbox", now=now_utc())
    db.session.commit()
    login(admin)

    response = client.get("/manage/outbox")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Agenda for Petaling Jaya" in html
    assert "siti@example.my" in html
    assert "550 5.1.1 No such user" in html
    assert "deliver_outbox" in html
    assert 'name="csrf_token"' in html
    assert "Retry" in html
    # Strict CSP: no inline scripts or style attributes on the page.
    assert "<script>" not in html and ' style="' not in html


def test_status_filter(app, client, login, admin, queue_notice):
    queue_notice("filter:1", subject="Still queued")
    _fail(queue_notice("filter:2", subject="Bounced"))
    login(admin)

    html = client.get("/manage/outbox?status=failed").get_data(as_text=True)

    assert "Bounced" in html and "Still queued" not in html


def test_stale_scheduler_is_flagged(app, client, login, admin):
    heartbeat("heartbeat", now=now_utc() - timedelta(hours=2))
    db.session.commit()
    login(admin)
    html = client.get("/manage/outbox").get_data(as_text=True)
    assert "has not run recently" in html


def test_no_scheduler_yet_is_explained(app, client, login, admin):
    login(admin)
    html = client.get("/manage/outbox").get_data(as_text=True)
    assert "No scheduler has run yet" in html


def test_organiser_is_refused(app, client, login, organiser):
    login(organiser)
    assert client.get("/manage/outbox").status_code == 403


def test_anonymous_is_sent_to_login(app, client):
    response = client.get("/manage/outbox")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_can_retry_a_failed_email(
    app, client, login, admin, queue_notice, outbox
):
    email = _fail(queue_notice("retry:1"))
    login(admin)

    response = client.post(f"/manage/outbox/{email.id}/retry")

    assert response.status_code == 302
    db.session.expire_all()
    [stored] = outbox()
    assert (stored.status, stored.attempts) == ("queued", 0)
    assert stored.next_attempt_at <= now_utc()


def test_only_failed_emails_can_be_retried(app, client, login, admin, queue_notice):
    email = queue_notice("retry:2")
    login(admin)
    assert client.post(f"/manage/outbox/{email.id}/retry").status_code == 409


def test_organiser_cannot_retry(app, client, login, organiser, queue_notice, outbox):
    email = _fail(queue_notice("retry:3"))
    login(organiser)
    assert client.post(f"/manage/outbox/{email.id}/retry").status_code == 403
    db.session.expire_all()
    assert outbox()[0].status == "failed"


def test_retry_needs_a_csrf_token(app, client, login, admin, queue_notice, outbox):
    app.config["WTF_CSRF_ENABLED"] = True
    email = _fail(queue_notice("retry:4"))
    login(admin)
    assert client.post(f"/manage/outbox/{email.id}/retry").status_code == 400
    db.session.expire_all()
    assert outbox()[0].status == "failed"
