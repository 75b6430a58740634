"""Through HTTP: the public call, the proposer's pages, files and access control."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.contributions.models import Proposal
from consult.contributions.services import decide, proposal_token
from consult.extensions import db
from consult.storage.models import StoredFile
from tests.clock import wall
from tests.contributions.test_files import EXE


def form_data(**overrides):
    data = {
        "proposer_name": "Jan de Vries",
        "proposer_email": "jan@example.nl",
        "title": "Circular procurement in construction",
        "abstract": "How Utrecht buys buildings as material banks.",
        "kind": "best_practice",
        "duration_minutes": "15",
        "speakers-0-name": "Jan de Vries",
        "speakers-0-email": "jan@example.nl",
        "speakers-0-affiliation": "Municipality of Utrecht",
        "speakers-0-city": "Utrecht",
        "speakers-0-country": "Netherlands",
        "speakers-0-timezone": "Europe/Amsterdam",
        "speakers-0-bio": "",
        "consent_publish": "y",
    }
    data.update(overrides)
    return data


def proposals_count():
    return db.session.scalar(select(func.count(Proposal.id)))


def stored_files(app):
    return db.session.scalars(select(StoredFile.id)).all()


def test_public_call_page_explains_the_call(client, cb_event):
    page = client.get(f"/events/{cb_event.slug}/contribute")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Call for contributions" in html
    assert "<strong>one</strong>" in html  # guidelines rendered as Markdown
    assert "Best-practice presentation" in html and "10 / 15 minutes" in html
    assert "Food and organic waste" in html  # related challenges to tick
    assert 'enctype="multipart/form-data"' in html
    assert 'data-browser-zone="true"' in html and "js/contributions.js" in html


def test_call_page_of_a_draft_event_is_hidden(client, make_reg_event):
    event = make_reg_event(publish=False)
    assert client.get(f"/events/{event.slug}/contribute").status_code == 404


def test_event_without_a_call_says_so(client, reg_event):
    html = client.get(f"/events/{reg_event.slug}/contribute").get_data(as_text=True)
    assert "There is no call for contributions" in html


def test_submit_with_slides_then_open_the_personal_page(
    app, client, cb_event, pdf_bytes, outbox
):
    data = form_data(slides=(io.BytesIO(pdf_bytes), "talk.pdf"))
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert response.headers["Location"].endswith(proposal_token(proposal))
    assert proposal.slides_type == "pdf" and proposal.speakers[0].city == "Utrecht"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Circular procurement in construction" in page
    assert "Edit your proposal" in page and "Withdraw my proposal" in page
    assert outbox()[0].recipient == "jan@example.nl"


def test_a_renamed_executable_gets_a_message_and_nothing_is_stored(
    app, client, cb_event
):
    data = form_data(slides=(io.BytesIO(EXE), "slides.pdf"))
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=data,
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="slides-error"' in html and "whatever its name says" in html
    assert 'value="Circular procurement in construction"' in html  # kept
    assert proposals_count() == 0 and stored_files(app) == []


def test_a_pptx_is_accepted_and_a_decompression_bomb_is_refused(
    app, client, cb_event, pptx_bytes
):
    from tests.security.test_upload_archives import pptx

    bomb = pptx(zeros=200 * 1024 * 1024)  # about 200 KB uploaded
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=form_data(slides=(io.BytesIO(bomb), "deck.pptx")),
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'id="slides-error"[^>]*>([^<]+)<', html)
    assert error and "would unpack to more than 200 MB" in error.group(1)
    assert proposals_count() == 0 and stored_files(app) == []

    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=form_data(slides=(io.BytesIO(pptx_bytes), "deck.pptx")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Proposal)).slides_type == "pptx"
    assert len(stored_files(app)) == 1


def test_an_oversize_file_gets_a_message_and_nothing_is_stored(
    app, client, cb_event, pdf_bytes
):
    app.config["CONTRIBUTION_MAX_FILE_MB"] = 0.001
    data = form_data(slides=(io.BytesIO(pdf_bytes + b"0" * 4096), "slides.pdf"))
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "larger than 0.001 MB" in response.get_data(as_text=True)
    assert proposals_count() == 0 and stored_files(app) == []


def test_closed_call_refuses_submissions(client, cb_event, open_call, now):
    open_call(cb_event, opens=now - timedelta(days=5), closes=now - timedelta(days=1))
    html = client.get(f"/events/{cb_event.slug}/contribute").get_data(as_text=True)
    assert "The call is closed" in html and "Send my proposal" not in html
    response = client.post(f"/events/{cb_event.slug}/contribute", data=form_data())
    assert response.status_code == 422
    assert proposals_count() == 0


def test_proposer_edits_and_withdraws_only_their_own(client, cb_event, make_proposal):
    a = make_proposal(cb_event)
    b = make_proposal(cb_event, proposer_email="b@example.org", title="B's talk")
    base_a = f"/events/{cb_event.slug}/proposals/{proposal_token(a)}"
    base_b = f"/events/{cb_event.slug}/proposals/{proposal_token(b)}"
    edit = client.post(f"{base_a}/edit", data=form_data(title="Edited by A"))
    assert edit.status_code == 302
    db.session.refresh(a)
    assert a.title == "Edited by A"
    # B's link opens B only; a forged or foreign token is a 404.
    assert "B&#39;s talk" in client.get(base_b).get_data(as_text=True)
    assert client.get(f"/events/{cb_event.slug}/proposals/forged").status_code == 404
    other_slug = client.get(f"/events/other-slug/proposals/{proposal_token(a)}")
    assert other_slug.status_code == 404
    # Withdrawing needs the confirmation box.
    client.post(f"{base_b}/withdraw", data={})
    db.session.refresh(b)
    assert b.status == "submitted"
    client.post(f"{base_b}/withdraw", data={"confirm": "y"})
    db.session.refresh(b)
    db.session.refresh(a)
    assert b.status == "withdrawn" and a.status == "submitted"


@pytest.fixture
def with_slides(cb_event, make_proposal, pdf_bytes):
    from consult.contributions.services import Upload

    return make_proposal(cb_event, slides=Upload("talk.pdf", pdf_bytes))


def test_slides_go_only_to_the_proposer_organisers_and_reviewers(
    client,
    login,
    cb_event,
    with_slides,
    make_proposal,
    make_reviewer,
    make_cb_event,
    other_organiser,
    organiser,
    pdf_bytes,
):
    slug, pid = cb_event.slug, with_slides.id
    own = f"/events/{slug}/proposals/{proposal_token(with_slides)}/slides"
    staff = f"/manage/events/{slug}/contributions/{pid}/slides"
    public = f"/events/{slug}/contributions/{pid}/slides"
    response = client.get(own)
    assert response.status_code == 200 and response.data == pdf_bytes
    assert response.headers["Content-Disposition"].startswith("attachment;")
    # Proposer B's link does not open A's slides.
    b = make_proposal(cb_event, proposer_email="b@example.org")
    b_slides = f"/events/{slug}/proposals/{proposal_token(b)}/slides"
    assert client.get(b_slides).status_code == 404
    # Anonymous: not published yet.
    assert client.get(public).status_code == 404
    assert client.get(staff).status_code == 302  # to the login page
    other_event = make_cb_event(other_organiser, title="Elsewhere")
    outsider = make_reviewer(other_event, "outsider@example.eu")
    for user in (other_organiser, outsider):
        login(user)
        assert client.get(staff).status_code == 403
    login(make_reviewer(cb_event))
    assert client.get(staff).data == pdf_bytes
    login(organiser)
    assert client.get(staff).data == pdf_bytes


def test_slides_become_public_once_the_session_is_published_with_consent(
    client, cb_event, with_slides, organiser, now, pdf_bytes
):

    public = f"/events/{cb_event.slug}/contributions/{with_slides.id}/slides"
    decide(
        with_slides,
        organiser,
        "accepted",
        now=now,
        start=wall(21, 16, 30),
    )
    db.session.commit()
    assert client.get(public).data == pdf_bytes
    html = client.get(f"/events/{cb_event.slug}/contribute").get_data(as_text=True)
    assert "In the programme" in html and public in html
    with_slides.consent_publish = False
    db.session.commit()
    assert client.get(public).status_code == 404


def test_an_invited_expert_arrives_with_the_form_filled(client, cb_event, now):
    import secrets

    from consult.challenges.models import Expert
    from consult.challenges.services import expert_token

    expert = Expert(
        event_id=cb_event.id,
        email="eva@example.se",
        name="Eva Lindqvist",
        organisation="City of Malmö",
        city="Malmö",
        country="SE",
        status="approved",
        nonce=secrets.token_urlsafe(24),
        invited_at=now,
    )
    db.session.add(expert)
    db.session.commit()
    url = f"/events/{cb_event.slug}/contribute?expert={expert_token(expert)}"
    html = client.get(url).get_data(as_text=True)
    assert 'value="eva@example.se"' in html and 'value="City of Malmö"' in html
    assert 'value="Sweden"' in html
    forged = client.get(f"/events/{cb_event.slug}/contribute?expert=forged")
    assert forged.status_code == 200 and "eva@example.se" not in forged.get_data(
        as_text=True
    )


def test_a_body_over_the_request_cap_is_refused_with_the_reason(
    app, client, cb_event, pdf_bytes
):
    # Small sizes: the test client spools larger bodies to a temporary file.
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    padding = b"0" * (200 * 1024)
    data = form_data(slides=(io.BytesIO(pdf_bytes + padding), "slides.pdf"))
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Your file was not sent: it is larger than 0.1 MB" in html
    assert f'href="/events/{cb_event.slug}/contribute"' in html
    assert proposals_count() == 0 and stored_files(app) == []
