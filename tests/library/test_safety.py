"""Script payloads in every library field stay inert on every library page."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.library.models import LibraryEntry

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{IMG}"
MD_LINK = "[click](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>"


def assert_inert(page: str) -> None:
    """No executable markup: only escaped text of the payloads may appear."""
    assert "<script>alert" not in page
    assert "<img" not in page
    # Inside real tags (not escaped text) no handler and no javascript: URL.
    for tag in re.findall(r"<[a-zA-Z][^<>]*>", page):
        # Quoted values are inert text (their quotes are escaped inside).
        bare = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"\son[a-z]+\s*=", bare), tag
        assert "'" not in bare, tag
        assert not re.search(r'(href|src|action)\s*=\s*"\s*javascript:', tag, re.I), tag


def test_payloads_in_a_best_practice_are_inert(
    client, lib_event, make_input, make_challenge, login, organiser
):
    challenge = make_challenge(lib_event, title="Challenge " + PAYLOAD)
    make_input(
        lib_event,
        challenge_id=challenge.id,
        title="Plastic " + PAYLOAD,
        body="Plastic body " + PAYLOAD + MD_LINK,
        results=PAYLOAD + MD_LINK,
        city="City" + PAYLOAD,
        organisation="Org" + PAYLOAD,
        period="Period" + PAYLOAD,
        links="javascript:alert(1)\nhttps://example.org/ok\n" + PAYLOAD,
        consent_named=True,
        author="Name" + PAYLOAD,
        author_organisation="Author org" + PAYLOAD,
    )
    entry = db.session.scalar(select(LibraryEntry))
    pages = [
        client.get("/library").get_data(as_text=True),
        client.get("/library?q=plastic").get_data(as_text=True),
        client.get(f"/library/{entry.id}").get_data(as_text=True),
    ]
    for page in pages:
        assert_inert(page)
    detail = pages[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert '<a href="https://example.org/ok"' in detail
    assert ">javascript:alert(1)</span>" in detail  # shown as text, not a link
    login(organiser)
    assert_inert(client.get("/manage/library").get_data(as_text=True))


def test_payloads_in_a_resource_are_inert(
    client, lib_event, make_resource, login, organiser
):
    entry = make_resource(
        lib_event,
        title="Plastic " + PAYLOAD,
        summary="Plastic " + PAYLOAD + MD_LINK,
        city="City" + PAYLOAD,
    )
    login(organiser)
    for url in (
        "/library",
        "/library?q=plastic",
        f"/library/{entry.id}",
        "/manage/library",
        f"/manage/library/{entry.id}/edit",
        f"/manage/library/{entry.id}/delete",
    ):
        page = client.get(url).get_data(as_text=True)
        assert_inert(page)
        assert "&lt;script&gt;" in page, url


def test_a_payload_in_the_search_box_is_echoed_escaped(client, app):
    page = client.get("/library", query_string={"q": PAYLOAD}).get_data(as_text=True)
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
