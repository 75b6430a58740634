"""Security headers on every response, cookie flags, the password policy, and
bodies above MAX_CONTENT_LENGTH answered with 413 and nothing stored."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from consult import create_app
from consult.auth.models import User
from consult.auth.passwords import password_problems
from consult.auth.services import make_reset_token
from consult.contributions.models import Proposal
from consult.extensions import db
from consult.registration.models import Registration
from consult.storage.models import StoredFile
from consult.timeutil import now_utc
from tests.security.conftest import client_for
from tests.security.world import PASSWORD

MiB = 1024 * 1024
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def _csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _header_problems(headers) -> list[str]:
    problems = []
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options")
    if headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    if not headers.get("Content-Type", "").startswith("text/html"):
        return problems
    if headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN"):
        problems.append("X-Frame-Options")
    csp = _csp_directives(headers.get("Content-Security-Policy", ""))
    script = csp.get("script-src", csp.get("default-src", ["*"]))
    if not script or any(
        s in script
        for s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")
    ):
        problems.append(f"script-src {script}")
    if "'unsafe-inline'" in csp.get("style-src", []):
        problems.append("style-src allows inline styles")
    if csp.get("object-src") != ["'none'"]:
        problems.append("object-src")
    if csp.get("frame-ancestors") not in (["'self'"], ["'none'"]):
        problems.append("frame-ancestors")
    if "base-uri" not in csp or "form-action" not in csp:
        problems.append("base-uri / form-action")
    return problems


def test_every_get_response_has_the_security_headers(get_sweep):
    html = [
        f
        for f in get_sweep
        if f.headers.get("Content-Type", "").startswith("text/html")
    ]
    assert len(html) > 60
    failures = [
        f"{f.url}: {', '.join(problems)}"
        for f in get_sweep
        if (problems := _header_problems(f.headers))
    ]
    assert not failures, "\n".join(failures)


def test_error_pages_have_the_security_headers(world_app, world):
    client = client_for(world_app)
    responses = [
        client.get("/no/such/page"),  # 404
        client.get(f"/manage/events/{world.a.slug}/"),  # redirect to login
        client_for(world_app, world.b.owner_id).get(f"/manage/events/{world.a.slug}/"),
        client.put("/"),  # 405
    ]
    assert [r.status_code for r in responses] == [404, 302, 403, 405]
    for response in responses:
        assert _header_problems(response.headers) == [], response.request.path


def _cookie(response, name: str) -> str:
    cookies = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")
    ]
    assert cookies, f"no {name} cookie set"
    return cookies[-1]


def _flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_session_and_remember_cookies_are_httponly_and_lax(world_app, world):
    response = client_for(world_app).post(
        "/auth/login",
        data={
            "email": "owner-a@example.org",
            "password": "consult-demo",
            "remember": "y",
        },
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        flags = _flags(_cookie(response, name))
        assert "httponly" in flags and "samesite=lax" in flags, (name, flags)


def test_production_cookies_are_secure(world_app, database_url, tmp_path):
    db.session.rollback()  # no lock held by the world's session
    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": str(tmp_path),
            "SECRET_KEY": "a-long-random-production-secret-for-the-security-tests",
            "SERVER_NAME": "consult.test",
            # Building an app rebinds the shared limiter; keep it off here.
            "RATELIMIT_ENABLED": False,
        },
    )
    try:
        client = app.test_client()
        page = client.get("https://consult.test/auth/login")
        token = page.get_data(as_text=True).split(
            'name="csrf_token" type="hidden" value="'
        )[1]
        response = client.post(
            "https://consult.test/auth/login",
            data={
                "csrf_token": token.split('"')[0],
                "email": "owner-a@example.org",
                "password": "consult-demo",
                "remember": "y",
            },
            # Over HTTPS Flask-WTF also checks the Referer is this site.
            headers={"Referer": "https://consult.test/auth/login"},
        )
        assert response.status_code == 302
        for name in ("session", "remember_token"):
            flags = _flags(_cookie(response, name))
            assert {"secure", "httponly", "samesite=lax"} <= flags, (name, flags)
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    "password",
    ["short1!", "password1234", "qwertyuiopasdf", "aaaaaaaaaaaa", "1234567890123"],
)
def test_password_policy_refuses_weak_passwords(world_app, password):
    assert password_problems(password)


def test_password_policy_refuses_the_users_own_address(world_app):
    assert password_problems(
        "owner-a@example.org", user_inputs=("owner-a@example.org",)
    )
    assert password_problems("x" * 257)
    assert password_problems("plum orchard lantern 42") == []


def test_weak_password_is_refused_through_the_pages(world_app, world):
    user = db.session.get(User, world.a.owner_id)
    before = user.password_hash
    db.session.rollback()
    client = client_for(world_app, world.a.owner_id)
    response = client.post(
        "/auth/password",
        data={
            "current_password": "consult-demo",
            "password": "password1234",
            "confirm": "password1234",
        },
    )
    assert response.status_code == 200
    assert "Choose a longer or less common password." in response.get_data(as_text=True)
    token = make_reset_token(db.session.get(User, world.a.owner_id), now=now_utc())
    reset = client_for(world_app).post(
        f"/auth/reset/{token}",
        data={"password": "short", "confirm": "short"},
    )
    assert reset.status_code in (200, 422)
    assert "Use at least 10 characters." in reset.get_data(as_text=True)
    assert db.session.get(User, world.a.owner_id).password_hash == before
    db.session.rollback()
    assert PASSWORD  # the world's other accounts keep theirs


def _counts():
    counts = (
        db.session.scalar(select(func.count(Registration.id))),
        db.session.scalar(select(func.count(Proposal.id))),
    )
    db.session.rollback()
    return counts


def _stored_files(app) -> list[int]:
    ids = list(db.session.scalars(select(StoredFile.id).order_by(StoredFile.id)))
    db.session.rollback()
    return ids


def test_oversized_form_body_is_refused_with_413(world_app, world):
    limit = world_app.config["MAX_CONTENT_LENGTH"]
    before = _counts()
    response = client_for(world_app).post(
        f"/events/{world.a.slug}/register",
        data={"full_name": "x" * (limit + 1), "email": "big@example.org"},
    )
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)
    assert _counts() == before


def _multipart(size: int) -> dict:
    """A form with a title and a PDF-looking slides file of `size` bytes.

    Encoded here: the test client would spool a large body to a temporary
    file it never closes.
    """
    boundary = "securitysuiteboundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\nBig\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="slides"; filename="slides.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    content = b"%PDF-1.4\n" + b"0" * (size - 9)
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize("route", ["submit", "edit"])
def test_oversized_slides_upload_is_refused_with_413(world_app, world, route):
    limit = world_app.config["MAX_CONTENT_LENGTH"]
    url = (
        f"/events/{world.a.slug}/contribute"
        if route == "submit"
        else f"/events/{world.a.slug}/proposals/{world.a.tokens['proposal']}/edit"
    )
    before, files = _counts(), _stored_files(world_app)
    response = client_for(world_app).post(
        url,
        **_multipart(limit + MiB),
    )
    assert response.status_code == 413
    assert _counts() == before
    assert _stored_files(world_app) == files


def test_slides_over_their_own_limit_get_a_message_and_nothing_is_stored(
    world_app, world
):
    """Above CONTRIBUTION_MAX_FILE_MB but below MAX_CONTENT_LENGTH: a message."""
    size = world_app.config["CONTRIBUTION_MAX_FILE_MB"] * MiB + MiB
    assert size < world_app.config["MAX_CONTENT_LENGTH"]
    before, files = _counts(), _stored_files(world_app)
    response = client_for(world_app).post(
        f"/events/{world.a.slug}/proposals/{world.a.tokens['proposal']}/edit",
        **_multipart(size),
    )
    assert response.status_code == 422
    assert _counts() == before
    assert _stored_files(world_app) == files


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\r\n/evil.example",
    ],
)
def test_login_never_redirects_off_site(world_app, world, target):
    response = client_for(world_app).post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "owner-a@example.org", "password": "consult-demo"},
    )
    assert response.status_code == 302
    # Browsers drop tabs and line breaks from URLs before resolving them.
    location = re.sub(r"[\t\r\n]", "", response.headers["Location"])
    resolved = urlsplit(urljoin("http://localhost/auth/login", location))
    assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), location


def test_uploaded_slides_are_downloads_never_pages(world_app, world):
    response = client_for(world_app).get(
        f"/events/{world.a.slug}/proposals/{world.a.tokens['proposal']}/slides"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
