"""Through the pages: the proposal form asks the proposer's language (the
page's by default) and each speaker's; the proposer, the invited expert and
the city's representative change theirs on their own page; the organiser
chooses an invitee's language (the event's by default). The next email
follows what was stored.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.challenges.models import Expert
from consult.challenges.services import expert_token
from consult.contributions.models import CityRepresentative, Proposal
from consult.contributions.services import (
    decide,
    proposal_token,
    representative_token,
)
from consult.extensions import db
from consult.i18n import LANGUAGE_COOKIE
from consult.notifications.models import OutboundEmail
from tests.contributions.test_pages import form_data
from tests.visitors import fresh_locale, language_visitor

CHOOSE = "Choose a language from the list."


def selected(html: str, name: str) -> str | None:
    """The value chosen in the select named ``name``."""
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>',
                      html, re.S)  # fmt: skip
    assert found, f"no select named {name}"
    option = re.search(r'<option selected value="([^"]*)"', found.group(1))
    return option.group(1) if option else None


def english_organiser(app, client, login, organiser):
    """The organiser, signed in, reading the pages in English."""
    host = (app.config.get("SERVER_NAME") or "localhost").split(":")[0]
    client.set_cookie(LANGUAGE_COOKIE, "en", domain=host)
    fresh_locale(client)
    login(organiser)
    return client


def mails(template: str) -> list[OutboundEmail]:
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.template == template)
            .order_by(OutboundEmail.id)
        )
    )


def test_the_proposal_form_asks_the_language_prefilled_from_the_page(app, cb_event):
    call = f"/events/{cb_event.slug}/contribute"
    korean_page = language_visitor(app, "ko").get(call).text
    assert selected(korean_page, "language") == "ko"
    assert selected(korean_page, "speakers-0-language") == "ko"
    english = language_visitor(app, "en")
    assert selected(english.get(call).text, "language") == "en"

    # From an English page, a proposer who reads Korean; a speaker Vietnamese.
    sent = english.post(
        call, data=form_data(language="ko", **{"speakers-0-language": "vi"})
    )
    assert sent.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert proposal.language == "ko"
    assert [s.language for s in proposal.speakers] == ["vi"]
    [receipt] = mails("contribution_received")
    assert receipt.language == "ko" and receipt.recipient == "jan@example.nl"


def test_an_unknown_language_on_the_form_is_refused_next_to_the_field(app, cb_event):
    visitor = language_visitor(app, "en")
    response = visitor.post(
        f"/events/{cb_event.slug}/contribute", data=form_data(language="xx")
    )
    assert response.status_code == 422
    assert CHOOSE in response.text
    assert "Circular procurement in construction" in response.text  # kept
    assert db.session.scalar(select(Proposal)) is None
    assert mails("contribution_received") == []


def test_the_proposer_changes_it_on_their_page_and_the_next_email_follows(
    app, cb_event, make_proposal, organiser, now
):
    proposal = make_proposal(cb_event, language="ko")
    page = f"/events/{cb_event.slug}/proposals/{proposal_token(proposal)}"
    visitor = language_visitor(app, "en")
    assert selected(visitor.get(page).text, "lang-language") == "ko"

    refused = visitor.post(f"{page}/language", data={"lang-language": "xx"})
    assert refused.status_code == 422 and CHOOSE in refused.text
    db.session.refresh(proposal)
    assert proposal.language == "ko"

    changed = visitor.post(f"{page}/language", data={"lang-language": "vi"})
    assert changed.status_code == 302
    db.session.refresh(proposal)
    assert proposal.language == "vi"

    # The language stays editable once the proposal no longer is.
    decide(proposal, organiser, "reserve", "", now=now)
    db.session.commit()
    [decision] = mails("contribution_decision")
    assert decision.language == "vi"
    assert selected(visitor.get(page).text, "lang-language") == "vi"

    asked = visitor.post(
        f"/events/{cb_event.slug}/contribute/link",
        data={"email": "marta@example.pl"},
    )
    assert asked.status_code == 302
    [resent] = mails("contribution_link_resent")
    assert resent.language == "vi" and resent.recipient == "marta@example.pl"


def test_the_organiser_invites_an_expert_in_their_language(
    app, client, login, organiser, cb_event
):
    cb_event.default_language = "ms"
    db.session.commit()
    english_organiser(app, client, login, organiser)
    experts = f"/manage/events/{cb_event.slug}/challenges/experts"
    assert selected(client.get(experts).text, "language") == "ms"  # the event's
    refused = client.post(
        experts, data={"email": "x@example.org", "name": "X", "language": "xx"}
    )
    assert refused.status_code == 422 and CHOOSE in refused.text
    assert db.session.scalar(select(Expert)) is None

    invited = client.post(
        experts,
        data={"email": "minji@example.kr", "name": "Kim Minji", "language": "ko"},
    )
    assert invited.status_code == 302
    expert = db.session.scalar(select(Expert))
    assert expert.language == "ko"
    [invitation] = mails("expert_invitation")
    assert invitation.language == "ko" and invitation.recipient == "minji@example.kr"

    # The expert's own page: the stored language, which they change.
    link = f"/events/{cb_event.slug}/expert/{expert_token(expert)}"
    visitor = language_visitor(app, "en")
    assert selected(visitor.get(link).text, "language") == "ko"
    saved = visitor.post(link, data={"name": "Kim Minji", "language": "vi"})
    assert saved.status_code == 302
    db.session.refresh(expert)
    assert expert.language == "vi" and expert.status == "accepted"


def test_the_organiser_invites_a_city_representative_in_their_language(
    app, client, login, organiser, cb_event
):
    english_organiser(app, client, login, organiser)
    city = f"/manage/events/{cb_event.slug}/contributions/city"
    assert selected(client.get(city).text, "language") == cb_event.default_language
    invited = client.post(
        city,
        data={"name": "Lee Jisoo", "email": "jisoo@example.kr", "language": "ko"},
    )
    assert invited.status_code == 302
    rep = db.session.scalar(select(CityRepresentative))
    assert rep.language == "ko"
    [invitation] = mails("contribution_city_invitation")
    assert invitation.language == "ko"

    home = f"/events/{cb_event.slug}/city/{representative_token(rep)}"
    visitor = language_visitor(app, "en")
    assert selected(visitor.get(home).text, "lang-language") == "ko"
    refused = visitor.post(f"{home}/language", data={"lang-language": "xx"})
    assert refused.status_code == 422 and CHOOSE in refused.text
    changed = visitor.post(f"{home}/language", data={"lang-language": "zh_Hans"})
    assert changed.status_code == 302
    db.session.refresh(rep)
    assert rep.language == "zh_Hans"
