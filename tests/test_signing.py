"""consult.signing: one purpose per kind of token, old links still open.

No database: rows are stand-ins looked up in a dict, and the app is a bare
Flask app with a known secret key.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from consult import signing
from consult.registration.attendance.pending import load_pending
from consult.surveys.forms import started_from_token
from tests.clock import BASE_NOW

OLD_SECRET_KEY = "an old secret key, only for this compatibility test"

# Made at BASE_NOW with OLD_SECRET_KEY by the code as it was before
# consult.signing (each module's own URLSafeSerializer and salt). They must
# keep opening: links with these shapes sit in inboxes.
OLD_TOKENS = {
    "registration-manage": (
        "eyJpZCI6NDIsIm4iOiJtYW5hZ2Utbm9uY2UtNDIifQ.4_JAxf3L95QO-RBMLPJ3a6eDVZE"
    ),
    "calendar-feed": (
        "eyJpZCI6NDIsIm4iOiJmZWVkLW5vbmNlLTQyIn0.KDiGrEHDPI0FvRqYH7Kv3L_D8qM"
    ),
    "proposal": (
        "eyJpZCI6NywibiI6InByb3Bvc2FsLW5vbmNlLTcifQ.fWPKygrT5mpv4Mb95cMxESkLrts"
    ),
    "city-representative": (
        "eyJpZCI6NSwibiI6ImNpdHktbm9uY2UtNSJ9.zy3trpyJspvBVIo3_IZBtDuLFbM"
    ),
    "survey-answer": (
        "eyJzIjoxMSwiaWQiOjQyLCJuIjoibWFuYWdlLW5vbmNlLTQyIn0"
        ".q94sSKIV5l0jesAhgs8MX9uirv0"
    ),
    "survey-started": "MTc5NTUxMDgwMA.B43gLJKYtLeQ8yT10FvR6TnH_yo",
    "survey-answered": "MTE.ui8OL6p9eVfoQsYxWekqaQJln2I",
    "expert": "eyJpZCI6OSwibiI6ImV4cGVydC1ub25jZS05In0.oWJFFRJzKnOH7rribu2-9d7rxIc",
    # Added with List-Unsubscribe (issue 28): made by consult.signing itself.
    "message-unsubscribe": (
        "eyJpZCI6NDIsIm4iOiJtYW5hZ2Utbm9uY2UtNDIifQ.bYMRy_k_Zr7Fl_ygTJK4QfK9OD0"
    ),
    "password-reset": (
        ".eJyrVirNTFGyMtRRSitQslIyMDQyNjE1M7ewTExKTklNQ-cr6ShlJpYA1ZtbmpoaGlgYGNQCAEsP"
        "EV4.awVSEA.p2wX2PjDwOgkiaMctvikeRxvv_E"
    ),
    "attendance-import": (
        "eyJlIjozLCJmIjoiem9vbS5jc3YiLCJ6IjoiRXVyb3BlL0JydXNzZWxzIiwidCI6MTAsImQiOiJl"
        "TnJ6Uzh4TjFYSE5UY3pNNFFJQUZzQURvQT09In0.awVSEA.lx3bodmtZm7hgLPiaqhhDaHyWiY"
    ),
    # Added with the thank-you page's own link (issue 21): consult.signing.
    "registration-thanks": (
        "eyJpZCI6NDIsIm4iOiJtYW5hZ2Utbm9uY2UtNDIifQ.awVSEA.4HN3PLYMBnrWhtH7PLZW1icajr0"
    ),
    # Added with action owners' links (issue 23): consult.signing.
    "action-owner": "eyJpZCI6NDIsIm4iOiJvd25lci1ub25jZS00MiJ9.RK_l89Bd7on2ffdT53iKLUQbOtQ",
}
ROW_TOKENS = {  # purpose: (row id, nonce, extra fields) of the old tokens above
    "registration-manage": (42, "manage-nonce-42", {}),
    "calendar-feed": (42, "feed-nonce-42", {}),
    "proposal": (7, "proposal-nonce-7", {}),
    "city-representative": (5, "city-nonce-5", {}),
    "survey-answer": (42, "manage-nonce-42", {"s": 11}),
    "expert": (9, "expert-nonce-9", {}),
    "message-unsubscribe": (42, "manage-nonce-42", {}),
    "action-owner": (42, "owner-nonce-42", {}),
}
# One payload of each purpose's shape, for the round trips.
PAYLOADS = {
    "registration-manage": {"id": 1, "n": "nonce"},
    "calendar-feed": {"id": 1, "n": ""},
    "proposal": {"id": 2, "n": "nonce"},
    "city-representative": {"id": 3, "n": "nonce"},
    "survey-answer": {"s": 4, "id": 1, "n": "nonce"},
    "survey-started": 1_795_510_800,
    "survey-answered": 4,
    "expert": {"id": 5, "n": "nonce"},
    "message-unsubscribe": {"id": 1, "n": "nonce"},
    "password-reset": {"uid": 1, "fp": "f" * 32, "iat": 1_795_510_800},
    "attendance-import": {"e": 1, "f": "a.csv", "z": "UTC", "t": 10, "d": ""},
    "registration-thanks": {"id": 1, "n": "nonce"},
    "action-owner": {"id": 6, "n": "nonce"},
}


@pytest.fixture
def old_app():
    app = Flask("signing-test")
    app.config["SECRET_KEY"] = OLD_SECRET_KEY
    with app.app_context():
        yield app


def test_every_purpose_is_covered_and_every_salt_is_its_own():
    assert set(PAYLOADS) == set(signing.PURPOSES) == set(OLD_TOKENS)
    salts = [purpose.salt for purpose in signing.PURPOSES.values()]
    assert len(set(salts)) == len(salts)


@pytest.mark.parametrize("purpose", sorted(signing.PURPOSES))
def test_each_purpose_round_trips(old_app, purpose):
    token = signing.sign(purpose, PAYLOADS[purpose])

    assert signing.load(purpose, token) == PAYLOADS[purpose]


@pytest.mark.parametrize(
    ("signed_for", "opened_as"),
    list(itertools.permutations(sorted(signing.PURPOSES), 2)),
)
def test_a_token_of_one_purpose_never_loads_as_another(old_app, signed_for, opened_as):
    token = signing.sign(signed_for, PAYLOADS[signed_for])

    with pytest.raises(signing.BadToken):
        signing.load(opened_as, token)


@pytest.mark.parametrize("purpose", sorted(signing.PURPOSES))
def test_a_tampered_token_fails(old_app, purpose):
    token = signing.sign(purpose, PAYLOADS[purpose])
    head, _, signature = token.rpartition(".")
    # The first character: the last one also carries unused padding bits.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    for forged in (f"{head}.{flipped}", "x" + token, token[:-3], "", "no-dot"):
        with pytest.raises(signing.BadToken):
            signing.load(purpose, forged)


def test_a_token_signed_with_another_key_fails(old_app):
    token = signing.sign("expert", PAYLOADS["expert"])
    old_app.config["SECRET_KEY"] = "another secret key altogether, 48 characters"

    with pytest.raises(signing.BadToken):
        signing.load("expert", token)


def test_an_unknown_purpose_is_a_programming_error(old_app):
    with pytest.raises(KeyError):
        signing.sign("registration-manag", {"id": 1})
    with pytest.raises(KeyError):
        signing.load("nothing", "abc.def")


def test_max_age_on_a_purpose_without_time_is_a_programming_error(old_app):
    token = signing.sign("expert", PAYLOADS["expert"])

    with pytest.raises(ValueError, match="no time"):
        signing.load("expert", token, max_age=60)


@pytest.mark.parametrize(
    "purpose", [name for name, spec in signing.PURPOSES.items() if spec.timed]
)
def test_a_timed_token_expires(old_app, clock, purpose):
    token = signing.sign(purpose, PAYLOADS[purpose])

    clock.shift(timedelta(seconds=30))
    assert signing.load(purpose, token, max_age=60) == PAYLOADS[purpose]

    clock.shift(timedelta(seconds=60))
    with pytest.raises(signing.ExpiredToken):
        signing.load(purpose, token, max_age=60)
    # Without a max_age the caller checks the age itself (password reset).
    assert signing.load(purpose, token) == PAYLOADS[purpose]


def _rows(*rows):
    by_id = {row.id: row for row in rows}
    return by_id.get


def test_a_row_opens_while_its_nonce_is_current(old_app):
    row = SimpleNamespace(id=5, nonce=signing.new_nonce())
    token = signing.sign_row("expert", row.id, row.nonce)

    found = signing.row_from_token(
        "expert", token, get=_rows(row), nonce_of=lambda r: r.nonce
    )

    assert found is row


def test_a_revoked_nonce_fails(old_app):
    row = SimpleNamespace(id=5, nonce=signing.new_nonce())
    token = signing.sign_row("proposal", row.id, row.nonce)

    row.nonce = signing.new_nonce()  # erasure or "revoke this link"

    assert (
        signing.row_from_token(
            "proposal", token, get=_rows(row), nonce_of=lambda r: r.nonce
        )
        is None
    )


def test_a_row_token_needs_its_row_and_its_extra_fields(old_app):
    row = SimpleNamespace(id=5, nonce="n")
    token = signing.sign_row("survey-answer", row.id, row.nonce, s=11)

    def opened(**expected):
        return signing.row_from_token(
            "survey-answer",
            token,
            get=_rows(row),
            nonce_of=lambda r: r.nonce,
            **expected,
        )

    assert opened(s=11) is row
    assert opened(s=12) is None  # another survey's link
    assert (
        signing.row_from_token(
            "survey-answer", token, get=_rows(), nonce_of=lambda r: r.nonce, s=11
        )
        is None
    )  # the row is gone


@pytest.mark.parametrize("payload", [[5, "n"], {"id": "5", "n": "n"}, {"id": 5}])
def test_a_well_signed_but_malformed_row_payload_opens_nothing(old_app, payload):
    row = SimpleNamespace(id=5, nonce="n")
    token = signing.sign("expert", payload)

    assert (
        signing.row_from_token(
            "expert", token, get=_rows(row), nonce_of=lambda r: r.nonce
        )
        is None
    )


def test_nonces_are_fresh_and_url_safe():
    nonces = {signing.new_nonce() for _ in range(50)}

    assert len(nonces) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", nonce) for nonce in nonces)


# --- tokens made before consult.signing ------------------------------------------


@pytest.mark.parametrize("purpose", sorted(ROW_TOKENS))
def test_an_old_personal_link_still_opens_and_is_signed_the_same(old_app, purpose):
    row_id, nonce, extra = ROW_TOKENS[purpose]
    row = SimpleNamespace(id=row_id, nonce=nonce)

    found = signing.row_from_token(
        purpose,
        OLD_TOKENS[purpose],
        get=_rows(row),
        nonce_of=lambda r: r.nonce,
        **extra,
    )

    assert found is row
    assert signing.sign_row(purpose, row_id, nonce, **extra) == OLD_TOKENS[purpose]


def test_old_survey_tokens_still_load(old_app):
    assert started_from_token(OLD_TOKENS["survey-started"]) == BASE_NOW
    assert signing.load("survey-answered", OLD_TOKENS["survey-answered"]) == 11
    assert signing.sign("survey-answered", 11) == OLD_TOKENS["survey-answered"]


def test_an_old_password_reset_token_still_loads(old_app):
    assert signing.load("password-reset", OLD_TOKENS["password-reset"]) == {
        "uid": 1,
        "fp": "0123456789abcdef0123456789abcdef",
        "iat": int(BASE_NOW.timestamp()),
    }


def test_an_old_thank_you_link_still_loads_within_its_hour(old_app, clock):
    clock.move_to(BASE_NOW + timedelta(minutes=59))

    assert signing.load(
        "registration-thanks", OLD_TOKENS["registration-thanks"], max_age=3600
    ) == {"id": 42, "n": "manage-nonce-42"}


def test_an_old_attendance_preview_still_loads(old_app, clock):
    clock.move_to(BASE_NOW + timedelta(minutes=5))  # the token's age: 5 minutes

    pending = load_pending(OLD_TOKENS["attendance-import"], event_id=3)

    assert (pending.filename, pending.zone, pending.threshold_minutes) == (
        "zoom.csv",
        "Europe/Brussels",
        10,
    )
    assert pending.data == b"Name,Email\n"


def test_keyed_digests_are_the_ones_sessions_and_reset_links_carry(old_app):
    # Session ids in every browser's cookie carry the first; a change would
    # log everyone out.
    assert signing.keyed_digest("3|$argon2id$hash", length=16) == "a2b5f85a76b94568"
    assert (
        signing.keyed_digest("1|ada@example.org|$argon2id$hash", length=32)
        == "a47e25db062469161214c60eef4b0273"
    )


# --- one place to audit ---------------------------------------------------------


def test_only_consult_signing_imports_itsdangerous():
    package = Path(signing.__file__).parent
    importers = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(
            r"^\s*(from|import)\s+itsdangerous\b", path.read_text(), re.MULTILINE
        )
    }

    assert importers == {"signing.py"}
