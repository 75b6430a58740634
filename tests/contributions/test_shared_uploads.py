"""Slides live in the database: any web host serves what another one received.

Two app instances share the database but not their instance folders, like two
hosts behind a load balancer; the file is uploaded through one and downloaded
through the other.
"""

import io
import os

import pytest
from sqlalchemy import func, select

from consult.contributions.models import Proposal
from consult.contributions.services import Upload, proposal_token
from consult.extensions import db
from consult.storage.models import StoredFile, StoredFileChunk
from consult.storage.services import CHUNK_BYTES
from tests.conftest import make_app
from tests.contributions.test_pages import form_data

MiB = 1024 * 1024


@pytest.fixture
def other_host(database_url, tmp_path):
    """A second web host: same database, its own (empty) instance folder."""
    other = make_app(database_url, tmp_path / "other-host", SERVER_NAME="consult.test")
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def big_pdf(size: int) -> bytes:
    """A PDF-looking file of `size` bytes with a recognisable random middle."""
    return b"%PDF-1.4\n" + os.urandom(size - 9)


def counts():
    return (
        db.session.scalar(select(func.count(Proposal.id))),
        db.session.scalar(select(func.count()).select_from(StoredFile)),
        db.session.scalar(select(func.count()).select_from(StoredFileChunk)),
    )


def on_disk(folder, content: bytes) -> list[str]:
    """Files under `folder` holding a slice of `content`."""
    needle = content[100:4196]
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            with open(os.path.join(root, name), "rb") as handle:
                if needle in handle.read():
                    found.append(os.path.join(root, name))
    return found


def post_slides(client, url, content, name="talk.pdf", **fields):
    """The form with a slides file, encoded here: the test client would spool a
    large body to a temporary file it never closes."""
    boundary = "sharedUploadsBoundary"
    body = io.BytesIO()
    for key, value in form_data(**fields).items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"'
            f"\r\n\r\n{value}\r\n".encode()
        )
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="slides"; '
        f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    )
    body.write(content + f"\r\n--{boundary}--\r\n".encode())
    return client.post(
        url,
        data=body.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_slides_uploaded_on_one_host_download_from_another(
    app, client, cb_event, other_host
):
    content = big_pdf(2 * MiB + 12345)  # three chunks
    response = post_slides(client, f"/events/{cb_event.slug}/contribute", content)
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.slides_size == len(content)
    url = f"/events/{cb_event.slug}/proposals/{proposal_token(proposal)}/slides"
    db.session.rollback()

    download = other_host.test_client().get(url)
    assert download.status_code == 200
    assert download.data == content
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Length"] == str(len(content))
    assert download.headers["Content-Disposition"] == "attachment; filename=talk.pdf"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # Neither host wrote the file to its own disk.
    assert on_disk(app.instance_path, content) == []
    assert on_disk(other_host.instance_path, content) == []
    chunks = db.session.scalars(
        select(StoredFileChunk.seq).where(
            StoredFileChunk.file_id == proposal.slides_file_id
        )
    )
    assert sorted(chunks) == [0, 1, 2]


def test_slides_over_the_limit_get_a_message_and_nothing_is_stored(
    app, client, cb_event
):
    app.config["CONTRIBUTION_MAX_FILE_MB"] = 1
    response = post_slides(
        client, f"/events/{cb_event.slug}/contribute", big_pdf(MiB + 1)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="slides-error"' in html and "larger than 1 MB" in html
    assert counts() == (0, 0, 0)


def test_new_slides_replace_the_old_ones_which_are_deleted(
    app, client, cb_event, make_proposal, pdf_bytes, other_host
):
    proposal = make_proposal(cb_event, slides=Upload("first.pdf", pdf_bytes))
    old_id = proposal.slides_file_id
    base = f"/events/{cb_event.slug}/proposals/{proposal_token(proposal)}"
    content = big_pdf(CHUNK_BYTES + 10)
    response = post_slides(client, f"{base}/edit", content, name="second.pdf")
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.slides_file_id != old_id
    assert db.session.get(StoredFile, old_id) is None
    assert counts()[1:] == (1, 2)
    download = other_host.test_client().get(f"{base}/slides")
    assert download.data == content
    assert "second.pdf" in download.headers["Content-Disposition"]

    client.post(f"{base}/slides/remove")
    db.session.expire_all()
    assert proposal.slides_file_id is None and proposal.slides_size is None
    assert counts() == (1, 0, 0)
    assert other_host.test_client().get(f"{base}/slides").status_code == 404


def test_erasing_my_data_deletes_the_slides_everywhere(
    app, client, cb_event, make_proposal, pdf_bytes, other_host, organiser
):
    proposal = make_proposal(cb_event, slides=Upload("talk.pdf", pdf_bytes))
    keep = make_proposal(
        cb_event, proposer_email="other@example.eu", slides=Upload("b.pdf", pdf_bytes)
    )
    base = f"/events/{cb_event.slug}/proposals/{proposal_token(proposal)}"
    staff = f"/manage/events/{cb_event.slug}/contributions"
    staff_url, keep_url = f"{staff}/{proposal.id}/slides", f"{staff}/{keep.id}/slides"
    response = client.post(f"{base}/erase", data={"erase-confirm": "y"})
    assert response.status_code == 200
    db.session.expire_all()
    assert proposal.slides_file_id is None
    # Only the other proposal's file is left, bytes and all.
    assert db.session.scalars(select(StoredFile.id)).all() == [keep.slides_file_id]
    assert db.session.scalars(select(StoredFileChunk.file_id)).all() == [
        keep.slides_file_id
    ]
    db.session.rollback()
    with other_host.test_client() as other:
        with other.session_transaction() as session:
            session["_user_id"] = organiser.get_id()
            session["_fresh"] = True
        assert other.get(staff_url).status_code == 404
        assert other.get(keep_url).status_code == 200
