"""People without an account are written to in their own language (issue 19
item 3): proposers, their speakers, invited experts and city representatives.

With the real catalogues: the organiser or visitor whose action queues the
message reads English, and the message is in the recipient's language all the
same (subject and body from that language's catalogue, the outbox row's
``language``); the sender, which runs with no request, keeps it.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from consult.challenges.services import ExpertProfile, accept_invitation, invite_expert
from consult.contributions.models import Proposal
from consult.contributions.services import (
    SpeakerInput,
    decide,
    erase_proposal,
    invite_representative,
    resend_links,
    set_proposal_language,
    set_representative_language,
)
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from tests.clock import wall as clock_wall
from tests.notifications.conftest import smtp_sink, use_smtp  # noqa: F401 (fixtures)


def said(language: str, text: str, **values) -> str:
    """``text`` from ``language``'s catalogue."""
    with force_locale(language):
        return _(text, **values)


def rows(template: str) -> dict[str, OutboundEmail]:
    """The outbox rows of ``template``, by recipient."""
    found = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.template == template)
    )
    return {row.recipient: row for row in found}


def assert_in(language: str, row, subject: str, line: str, **values) -> None:
    """``row`` is written in ``language``: its subject and a line of its body."""
    assert row.language == language
    assert row.subject == said(language, subject, **values)
    if language != "en":
        assert row.subject != said("en", subject, **values)  # really translated
    assert said(language, line) in row.body_text


RECEIVED = "Your proposal for %(title)s"
RECEIVED_LINE = "The organisers will let you know their decision by email."


def test_the_receipt_is_in_the_proposers_language_whatever_the_page(
    cb_event, make_proposal
):
    with force_locale("en"):
        make_proposal(cb_event, language="ko")
        make_proposal(cb_event, proposer_email="jan@example.nl", title="Material banks")
    db.session.commit()
    received = rows("contribution_received")
    title = cb_event.title
    assert_in("ko", received["marta@example.pl"], RECEIVED, RECEIVED_LINE, title=title)
    # Who chose no language (an older form) reads the site's default.
    assert_in("en", received["jan@example.nl"], RECEIVED, RECEIVED_LINE, title=title)


def test_the_decision_follows_the_proposer_not_the_organiser(
    cb_event, make_proposal, organiser, now
):
    proposal = make_proposal(cb_event, language="ko")
    with force_locale("en"):  # the organiser's page
        decide(proposal, organiser, "rejected", "", now=now)
    db.session.commit()
    row = rows("contribution_decision")["marta@example.pl"]
    assert_in(
        "ko", row, "About your proposal for %(title)s", "Your proposal:",
        title=cb_event.title,
    )  # fmt: skip


def test_each_speaker_gets_the_slot_in_their_own_language(
    cb_event, make_proposal, organiser, now
):
    speakers = [
        SpeakerInput(
            name="Marta Kowalska", email="marta@example.pl", timezone="Europe/Warsaw"
        ),
        SpeakerInput(
            name="Nguyen Lan",
            email="lan@example.vn",
            timezone="Asia/Ho_Chi_Minh",
            language="vi",
        ),
    ]
    proposal = make_proposal(cb_event, language="ko", speakers=speakers)
    # A speaker row without a language takes the proposer's.
    assert [s.language for s in proposal.speakers] == ["ko", "vi"]
    with force_locale("en"):
        decide(
            proposal, organiser, "accepted", "", now=now, start=clock_wall(21, 16, 30)
        )
    db.session.commit()
    scheduled = rows("contribution_scheduled")
    line = (
        "The calendar invitation is attached. If the slot moves, you will "
        "receive an update."
    )
    title = cb_event.title
    subject = "Your session at %(title)s"
    assert_in("ko", scheduled["marta@example.pl"], subject, line, title=title)
    assert_in("vi", scheduled["lan@example.vn"], subject, line, title=title)
    # The slot in the decision is Korean too (its counted minutes).
    decision = rows("contribution_decision")["marta@example.pl"]
    assert decision.language == "ko"
    assert said("ko", "Slot: %(when)s", when="").strip() in decision.body_text


def test_a_changed_language_is_used_by_the_next_email(cb_event, make_proposal, now):
    proposal = make_proposal(cb_event)
    assert proposal.language is None
    set_proposal_language(proposal, "ko", now=now)
    db.session.commit()
    with force_locale("en"):
        resend_links(cb_event, "marta@example.pl", now=now)
    db.session.commit()
    row = rows("contribution_link_resent")["marta@example.pl"]
    assert_in(
        "ko", row, "Your proposal's link for %(title)s",
        "If you did not ask for it, you can ignore this email: the link has not "
        "changed and only you received it.",
        title=cb_event.title,
    )  # fmt: skip


@pytest.mark.parametrize("bad", ["xx", "", None])
def test_an_unknown_language_is_refused_and_nothing_changes(
    cb_event, make_proposal, proposal_data, now, bad
):
    proposal = make_proposal(cb_event, language="vi")
    with pytest.raises(ValidationFailed) as refused:
        set_proposal_language(proposal, bad, now=now)
    assert refused.value.field == "language"
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).language == "vi"
    if bad is not None:
        from consult.contributions.services import submit_proposal

        with pytest.raises(ValidationFailed):
            submit_proposal(cb_event, proposal_data(language=bad or "xx"), now=now)


def test_erasure_keeps_the_row_rules_of_today(cb_event, make_proposal, now):
    """Erasure blanks the proposer's identity; the language is not an identity
    and no message can reach an erased proposer anyway."""
    proposal = make_proposal(cb_event, language="ko")
    erase_proposal(proposal, now=now)
    db.session.commit()
    assert proposal.proposer_email == "" and proposal.language == "ko"
    assert resend_links(cb_event, "marta@example.pl", now=now) == 0


EXPERT_SUBJECT = "Your invitation to contribute: %(title)s"
EXPERT_LINE = "A message from the organisers:"


def test_an_expert_is_invited_in_the_language_the_organiser_chose(
    reg_event, organiser, now
):
    reg_event.default_language = "ms"
    db.session.commit()
    with force_locale("en"):
        chosen = invite_expert(
            reg_event, organiser, email="minji@example.kr", name="Kim Minji",
            message="Welcome", now=now, language="ko",
        )  # fmt: skip
        default = invite_expert(
            reg_event, organiser, email="siti@example.my", name="Siti",
            message="Welcome", now=now,
        )  # fmt: skip
    db.session.commit()
    assert (chosen.language, default.language) == ("ko", "ms")
    sent = rows("expert_invitation")
    title = reg_event.title
    assert_in("ko", sent["minji@example.kr"], EXPERT_SUBJECT, EXPERT_LINE, title=title)
    # Without a choice: the event's own language.
    assert_in("ms", sent["siti@example.my"], EXPERT_SUBJECT, EXPERT_LINE, title=title)
    with pytest.raises(ValidationFailed) as refused:
        invite_expert(
            reg_event, organiser, email="x@example.org", name="X", now=now,
            language="xx",
        )  # fmt: skip
    assert refused.value.field == "language"


def test_the_expert_changes_their_language_with_their_profile(
    reg_event, organiser, now
):
    expert = invite_expert(
        reg_event, organiser, email="minji@example.kr", name="Kim Minji", now=now,
        language="ko",
    )  # fmt: skip
    accept_invitation(expert, ExpertProfile(name="Kim Minji", language="vi"), now=now)
    assert expert.language == "vi"
    # A profile form without the field (an older page) leaves it as it is.
    accept_invitation(expert, ExpertProfile(name="Kim Minji"), now=now)
    assert expert.language == "vi"
    with pytest.raises(ValidationFailed) as refused:
        accept_invitation(
            expert, ExpertProfile(name="Kim Minji", language="xx"), now=now
        )
    assert refused.value.field == "language"


CITY_SUBJECT = "Submit your city's challenges for %(title)s"
CITY_LINE = (
    "Propose and edit them until the event starts; the organisers approve them "
    "before they are published."
)


def test_a_city_representative_is_invited_in_their_language(cb_event, organiser, now):
    with force_locale("en"):
        rep = invite_representative(
            cb_event, organiser, name="Lee Jisoo", email="jisoo@example.kr",
            now=now, language="ko",
        )  # fmt: skip
        other = invite_representative(
            cb_event, organiser, name="Ana", email="ana@example.org", now=now
        )
    db.session.commit()
    assert (rep.language, other.language) == ("ko", cb_event.default_language)
    row = rows("contribution_city_invitation")["jisoo@example.kr"]
    assert_in("ko", row, CITY_SUBJECT, CITY_LINE, title=cb_event.title)
    set_representative_language(rep, "zh_Hant")
    assert rep.language == "zh_Hant"
    with pytest.raises(ValidationFailed):
        set_representative_language(rep, "xx")


def test_the_sender_keeps_the_proposers_language(
    cb_event,
    make_proposal,
    smtp_sink,  # noqa: F811 (the imported fixture)
    use_smtp,  # noqa: F811
    now,
):
    """The scheduler sends with no request and English as its own language."""
    use_smtp(smtp_sink.port)
    make_proposal(cb_event, language="ko")
    report = deliver_outbox(now=now)
    assert report.failed == 0, report.errors
    [received] = smtp_sink.handler.received
    message = received.message
    assert message["Content-Language"] == "ko"
    assert str(message["Subject"]) == said("ko", RECEIVED, title=cb_event.title)
    text = message.get_body(("plain",)).get_content()
    assert said("ko", RECEIVED_LINE) in text
