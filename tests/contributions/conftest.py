"""Fixtures for the contributions tests.

- ``cb_event``: the shared ``reg_event`` (15 Dec 2026,
  16:00-18:00 Kuala Lumpur) with two challenges and a call for contributions
  open from a day before ``now`` to ten days after;
- ``proposal_data(**overrides)``: a valid ProposalData;
- ``make_proposal(event, **overrides)``: a committed proposal;
- ``make_reviewer(event, email)``: an expert account added as reviewer;
- ``pdf_bytes`` / ``pptx_bytes`` / ``odp_bytes``: small valid slides.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from consult.challenges.services import ChallengeData, add_challenge
from consult.contributions.models import Reviewer
from consult.contributions.services import (
    CallData,
    ProposalData,
    SpeakerInput,
    invite_representative,
    submit_proposal,
    update_call,
)
from consult.extensions import db
from tests.factories import SERVER_NAMED

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def pdf_bytes():
    return PDF


@pytest.fixture
def pptx_bytes():
    return make_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "ppt/presentation.xml": b"<p:presentation/>",
        }
    )


@pytest.fixture
def odp_bytes():
    return make_zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.presentation",
            "content.xml": b"<office:document-content/>",
        }
    )


@pytest.fixture
def open_call(organiser, now):
    def _open(event, *, opens=None, closes=None, owner=None):
        update_call(
            event,
            owner or organiser,
            CallData(
                opens_at=opens or now - timedelta(days=1),
                closes_at=closes or now + timedelta(days=10),
                guidelines="Share **one** practice that worked.",
                kinds={"best_practice": [10, 15], "case_study": [20]},
            ),
            now=now,
        )
        db.session.commit()

    return _open


@pytest.fixture
def make_cb_event(make_reg_event, organiser, now, open_call):
    def _make(owner=None, **fields):
        event = make_reg_event(owner, **fields)
        for title, category in (
            ("Food and organic waste", "food_organic"),
            ("Household e-waste", "e_waste"),
        ):
            add_challenge(
                event,
                owner or organiser,
                ChallengeData(title, f"About {title}.", category, "Petaling Jaya"),
                now=now,
            )
        db.session.commit()
        open_call(event, owner=owner)
        return event

    return _make


@pytest.fixture
def cb_event(make_cb_event):
    return make_cb_event()


@pytest.fixture
def proposal_data():
    def _data(**overrides):
        values = dict(
            title="Repair cafés with housing cooperatives",
            abstract="How Warsaw scaled repair networks.",
            kind="best_practice",
            duration_minutes=15,
            speakers=[
                SpeakerInput(
                    name="Marta Kowalska",
                    email="marta@example.pl",
                    affiliation="Circular Economy Club",
                    city="Warsaw",
                    country="Poland",
                    timezone="Europe/Warsaw",
                )
            ],
            consent_publish=True,
            proposer_name="Marta Kowalska",
            proposer_email="marta@example.pl",
        )
        values.update(overrides)
        return ProposalData(**values)

    return _data


@pytest.fixture
def make_proposal(proposal_data, now):
    def _make(event, **overrides):
        proposal = submit_proposal(event, proposal_data(**overrides), now=now)
        db.session.commit()
        return proposal

    return _make


@pytest.fixture
def make_reviewer(make_user, now):
    def _make(event, email="reviewer@example.eu"):
        user = make_user(email, role="expert")
        db.session.add(Reviewer(event_id=event.id, user_id=user.id, added_at=now))
        db.session.commit()
        return user

    return _make


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED


@pytest.fixture
def rep(cb_event, organiser, now):
    """The city representative of ``cb_event``, invited (committed)."""
    rep = invite_representative(
        cb_event, organiser, name="Lim Mei Ling", email="lim@mbpj.example.my", now=now
    )
    db.session.commit()
    return rep
