"""The public page and the participants' pages, through HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.challenges.models import Input, InputSupport
from consult.challenges.services import ballot_of, event_challenges
from consult.extensions import db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_public_page_shows_challenges_and_published_inputs(
    client, ch_event, make_registration, make_input
):
    reg = make_registration(ch_event)
    challenge = event_challenges(ch_event)[1]
    make_input(
        ch_event,
        reg,
        state="published",
        title="Bags at markets",
        challenge_id=challenge.id,
    )
    make_input(ch_event, reg, title="Still in moderation")
    make_input(ch_event, reg, state="hidden", title="Hidden spam")
    html = client.get(f"/events/{ch_event.slug}/challenges").get_data(as_text=True)
    assert "Plastic pollution and packaging" in html
    assert "Bags at markets" in html
    assert "Still in moderation" not in html and "Hidden spam" not in html
    assert "No published inputs yet." in html  # the other challenges


def test_draft_event_challenges_are_not_public(client, make_reg_event):
    draft = make_reg_event(publish=False, title="Draft")
    assert client.get(f"/events/{draft.slug}/challenges").status_code == 404


def test_registrant_sees_own_unpublished_inputs_with_state(
    client, ch_event, make_registration, make_input, token
):
    alice, bob = make_registration(ch_event), make_registration(ch_event)
    make_input(ch_event, alice, state="hidden", title="Alice's hidden idea")
    make_input(ch_event, alice, title="Alice's waiting idea")
    url = f"/events/{ch_event.slug}/registration/{{}}/challenges"
    mine = client.get(url.format(token(alice))).get_data(as_text=True)
    assert "Alice&#39;s hidden idea" in mine and "Reason: Off topic" in mine
    assert "Alice&#39;s waiting idea" in mine and "Awaiting moderation" in mine
    theirs = client.get(url.format(token(bob))).get_data(as_text=True)
    assert "Alice&#39;s hidden idea" not in theirs
    assert "Alice&#39;s waiting idea" not in theirs
    mine_list = client.get(
        f"/events/{ch_event.slug}/registration/{token(alice)}/inputs"
    ).get_data(as_text=True)
    assert "Their reason: Off topic" in mine_list


def test_bad_or_foreign_tokens_open_nothing(
    client, ch_event, make_reg_event, make_registration, token
):
    other = make_reg_event(title="Other event")
    outsider = make_registration(other)
    for url in (
        f"/events/{ch_event.slug}/registration/forged/challenges",
        f"/events/{ch_event.slug}/registration/{token(outsider)}/inputs",
        f"/events/{ch_event.slug}/expert/forged",
    ):
        assert client.get(url).status_code == 404, url


def test_submit_edit_through_the_manage_link(
    client, ch_event, make_registration, token
):
    reg = make_registration(ch_event)
    base = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs"
    challenge = event_challenges(ch_event)[0]
    form = {
        "kind": "solution_idea",
        "challenge_id": str(challenge.id),
        "title": "Compost hubs",
        "body": "One per neighbourhood.",
        "links": "https://example.org/compost",
        "budget_range": "",
        "country": "",
    }
    response = client.post(f"{base}/new", data=form)
    assert response.status_code == 302
    item = db.session.scalar(select(Input).where(Input.registration_id == reg.id))
    assert (item.title, item.challenge_id, item.state) == (
        "Compost hubs",
        challenge.id,
        "submitted",
    )
    # A refused field keeps what was typed and says why.
    bad = client.post(f"{base}/new", data={**form, "links": "ftp://nope"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "is not a web address" in page and "Compost hubs" in page
    response = client.post(
        f"{base}/{item.id}/edit", data={**form, "title": "Compost hubs in PJ"}
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "Compost hubs in PJ"


def test_another_registrant_cannot_edit(
    client, ch_event, make_registration, make_input, token
):
    alice, bob = make_registration(ch_event), make_registration(ch_event)
    item = make_input(ch_event, alice)
    url = f"/events/{ch_event.slug}/registration/{token(bob)}/inputs/{item.id}/edit"
    assert client.get(url).status_code == 404
    response = client.post(
        url, data={"kind": "problem_insight", "title": "Hijacked", "body": "x"}
    )
    assert response.status_code == 404
    db.session.refresh(item)
    assert item.title != "Hijacked"


def test_closed_window_refuses_submissions(
    client, ch_event, make_registration, token, open_window, now
):
    open_window(ch_event, opens=now - timedelta(days=5), closes=now - timedelta(days=1))
    reg = make_registration(ch_event)
    base = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs"
    page = client.get(f"{base}/new").get_data(as_text=True)
    assert "window is closed" in page
    response = client.post(
        f"{base}/new", data={"kind": "solution_idea", "title": "Late", "body": "x"}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Input.id)) is None


def test_support_through_the_page(
    client, ch_event, make_registration, make_input, token
):
    reg = make_registration(ch_event)
    item = make_input(ch_event, make_registration(ch_event), state="published")
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/{item.id}/support"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click: still one
    count = db.session.query(InputSupport).filter_by(input_id=item.id).count()
    assert count == 1
    page = client.get(
        f"/events/{ch_event.slug}/registration/{token(reg)}/challenges"
    ).get_data(as_text=True)
    assert "1 support" in page and "Withdraw my support" in page
    client.post(url, data={"action": "withdraw"})
    assert db.session.query(InputSupport).filter_by(input_id=item.id).count() == 0
    hidden = make_input(ch_event, reg, state="hidden")
    hidden_url = url.replace(f"/{item.id}/", f"/{hidden.id}/")
    assert client.post(hidden_url).status_code == 404


def test_priorities_page_enforces_ten_points(
    client, ch_event, make_registration, token
):
    reg = make_registration(ch_event)
    a, b, c = (x.id for x in event_challenges(ch_event))
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/priorities"
    assert "Distribute exactly 10 points" in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={f"c-{a}": "6", f"c-{b}": "6"})
    assert bad.status_code == 422
    assert "you gave 12" in bad.get_data(as_text=True)
    assert ballot_of(reg) == {}
    assert client.post(url, data={f"c-{a}": "6", f"c-{b}": "4"}).status_code == 302
    assert ballot_of(reg) == {a: 6, b: 4, c: 0}


def test_script_payloads_never_execute(
    client, login, organiser, ch_event, make_registration, make_input, token
):
    reg = make_registration(ch_event, full_name=XSS, organisation=XSS)
    item = make_input(
        ch_event,
        reg,
        state="published",
        kind="best_practice",
        title=XSS,
        body=XSS + "\n\n[click](javascript:alert(1))",
        city=XSS[:120],
        organisation=XSS,
        results=XSS,
        consent_named=True,
    )
    from consult.challenges.services import update_moderation
    from consult.timeutil import now_utc

    update_moderation(
        item,
        organiser,
        tags=XSS[:40],
        answer=XSS,
        selected_for_plan=True,
        now=now_utc(),
    )
    db.session.commit()
    pages = [
        f"/events/{ch_event.slug}/challenges",
        f"/events/{ch_event.slug}/registration/{token(reg)}/challenges",
        f"/events/{ch_event.slug}/registration/{token(reg)}/inputs",
        f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/{item.id}/edit",
    ]
    manage = [
        f"/manage/events/{ch_event.slug}/challenges/inputs",
        f"/manage/events/{ch_event.slug}/challenges/inputs/{item.id}",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html, url
        assert 'href="javascript:' not in html, url
    login(organiser)
    for url in manage:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html, url
        assert "&lt;script&gt;" in html, url


def test_best_practice_form_files_it_under_a_topic(
    client, ch_event, make_registration, token
):
    reg = make_registration(ch_event)
    url = f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/new"
    form = {
        "kind": "best_practice",
        "challenge_id": "",
        "category": "water",
        "title": "Rainwater reuse",
        "body": "Schools collect rainwater.",
        "city": "Lisbon",
        "country": "PT",
        "budget_range": "",
        "consent_named": "y",
    }
    assert client.post(url, data=form).status_code == 302
    item = db.session.scalar(select(Input).where(Input.registration_id == reg.id))
    assert (item.category, item.library_category, item.country) == (
        "water",
        "water",
        "PT",
    )
    assert item.consent_named
    edit = client.get(
        f"/events/{ch_event.slug}/registration/{token(reg)}/inputs/{item.id}/edit"
    ).get_data(as_text=True)
    assert '<option selected value="water">' in edit


def test_show_all_link_opens_one_challenge(
    client, ch_event, make_registration, make_input
):
    from consult.challenges.services.public_page import PREVIEW

    reg = make_registration(ch_event)
    challenge = event_challenges(ch_event)[0]
    for n in range(PREVIEW + 1):
        make_input(
            ch_event, reg, state="published", title=f"Insight {n}",
            challenge_id=challenge.id,
        )  # fmt: skip
    url = f"/events/{ch_event.slug}/challenges"
    html = client.get(url).get_data(as_text=True)
    assert f"Show all {PREVIEW + 1} inputs" in html
    assert html.count("Insight ") == PREVIEW
    focused = client.get(f"{url}?challenge={challenge.id}").get_data(as_text=True)
    assert focused.count("Insight ") == PREVIEW + 1
    assert "Plastic pollution" not in focused and "All challenges" in focused


def test_manage_section_links_the_participant_pages(
    app, ch_event, make_registration, token
):
    from flask import render_template

    confirmed = make_registration(ch_event)
    waiting = make_registration(ch_event, status="waitlisted")
    with app.test_request_context():
        html = render_template(
            "challenges/_manage_section.html",
            registration=confirmed,
            event=ch_event,
            token=token(confirmed),
        )
        other = render_template(
            "challenges/_manage_section.html",
            registration=waiting,
            event=ch_event,
            token=token(waiting),
        )
    base = f"/events/{ch_event.slug}/registration/{token(confirmed)}"
    for path in ("/challenges", "/inputs", "/inputs/new", "/priorities"):
        assert f'{base}{path}"' in html, path
    assert "/priorities" not in other  # only confirmed registrants prioritise
