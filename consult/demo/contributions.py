"""Demo content for the contributions area, added by consult.demo.seed_demo().

A call for contributions that closed a few days ago; six proposals from
European experts, rated by the organiser and a reviewer: three accepted into
the agenda (they become the three ten-minute European cases of the
best-practice block), one kept in reserve, two not accepted. Petaling Jaya's
representative proposed the city's five challenges, which the organiser
approved: each proposal is linked to the challenge the challenges demo created.
Everything goes through the real services; the texts say they are demo content.
"""

from __future__ import annotations

from datetime import timedelta

from consult.challenges.services import event_challenges
from consult.contributions.services import (
    CallData,
    CityChallengeData,
    ProposalData,
    SpeakerInput,
    Upload,
    add_reviewer,
    approve_city_challenge,
    decide,
    default_message,
    invite_representative,
    propose_challenge,
    rate,
    submit_proposal,
    update_call,
)
from consult.events.services import delete_session
from consult.extensions import db
from consult.timeutil import to_local

DEMO_NOTE = (
    "\n\n*Demo content: an illustrative proposal written for this demonstration.*"
)
# The agenda's block the accepted proposals replace, as three ten-minute cases.
BLOCK_TITLE = "European best practices on circular product design"
GUIDELINES = (
    "Petaling Jaya and its partners look for **concrete European experience** that "
    "answers one of the city's five challenges.\n\n"
    "- Say what was done, by whom, what it cost and what changed.\n"
    "- Include what did not work, and how the informal sector or vulnerable "
    "groups were involved.\n"
    "- Slides are welcome (PDF, PPTX or ODP); they are published only with your "
    "consent.\n\n"
    "Proposals are rated by the organisers and invited reviewers on relevance to "
    "the challenges, transferability to Malaysia and evidence of results."
)

# (proposer, email, zone, city, country, affiliation, title, kind, minutes,
#  challenge titles, abstract, decision, agenda offset in minutes, scores)
PROPOSALS = [
    ("Marta Kowalska", "marta.kowalska@example.pl", "Europe/Warsaw", "Warsaw",
     "Poland", "Circular Economy Club, Warsaw chapter",
     "Repair and reuse networks with housing cooperatives", "best_practice", 10,
     ["Household e-waste", "Plastic pollution and packaging"],
     "How Warsaw's housing cooperatives host repair points and reuse corners, "
     "run by residents with small grants from the city, and what it took to keep "
     "them open after the pilot year.",
     "accepted", 45, (5, 4)),
    ("Jan de Vries", "jan.devries@example.nl", "Europe/Amsterdam", "Utrecht",
     "Netherlands", "Municipality of Utrecht",
     "Buildings as material banks: circular procurement in construction",
     "case_study", 10, ["Construction material flow and design"],
     "Utrecht's tender criteria for demolition and new public buildings: "
     "material passports, reuse targets and the market consultation that made "
     "contractors ready for them.",
     "accepted", 55, (5, 5)),
    ("Élodie Martin", "elodie.martin@example.fr", "Europe/Paris", "Lyon", "France",
     "Zero-waste programme, City of Lyon",
     "Bio-waste sorting and packaging reduction at markets", "best_practice", 10,
     ["Food and organic waste", "Plastic pollution and packaging"],
     "Separate collection of food waste at Lyon's open-air markets, reusable "
     "crates for traders, and the composting partnership with peri-urban farms.",
     "accepted", 65, (4, 4)),
    ("Katarina Novak", "katarina.novak@example.si", "Europe/Ljubljana", "Ljubljana",
     "Slovenia", "Regional waste centre RCERO",
     "Deposit-return for takeaway containers", "case_study", 20,
     ["Plastic pollution and packaging"],
     "A city-wide deposit scheme for reusable takeaway boxes with 120 "
     "restaurants: logistics, washing, and the price point that made it work.",
     "reserve", None, (4, 3)),
    ("Lukas Berger", "lukas.berger@example.at", "Europe/Vienna", "Vienna",
     "Austria", "Independent consultant",
     "Blockchain tokens for recycling behaviour", "best_practice", 15,
     ["Digital sharing tools and platforms"],
     "A token reward app for households that recycle, based on a three-month "
     "trial in one district.",
     "rejected", None, (2, 2)),
    ("Sofia Marques", "sofia.marques@example.pt", "Europe/Lisbon", "Porto",
     "Portugal", "Porto textile reuse hub",
     "Textile reuse hubs for fashion waste", "best_practice", 15, [],
     "Porto's hubs that collect, sort and resell used clothing, and the social "
     "enterprises that run them.",
     "rejected", None, (3, 2)),
]  # fmt: skip

DECISION_MESSAGES = {
    "reserve": (
        "Thank you for this well-documented case. The programme is full, so we keep "
        "it in reserve: if a slot frees up we will contact you, and it will be "
        "shared in the knowledge-exchange library either way."
    ),
    "rejected": (
        "Thank you for your proposal. This webinar focuses on Petaling Jaya's five "
        "challenges and on results measured over several years, so we could not "
        "include it this time."
    ),
}

REPRESENTATIVE = ("Lim Mei Ling", "lim.meiling@mbpj.example.my", "Petaling Jaya")
EVIDENCE = {
    "food_organic": ["https://www.mbpj.gov.my/"],
    "plastics_packaging": ["https://www.kpkt.gov.my/"],
}


def _demo_pdf(title: str, speaker: str) -> bytes:
    """A one-page PDF with the talk's title: the demo's example slides."""

    def text(value: str) -> str:
        ascii_only = value.encode("ascii", "replace").decode()
        return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = (
        f"BT /F1 26 Tf 60 480 Td ({text(title)}) Tj ET\n"
        f"BT /F1 18 Tf 60 430 Td ({text(speaker)}) Tj ET\n"
        "BT /F1 12 Tf 60 80 Td (Demo slides for the Consult demonstration) Tj ET\n"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _challenge_ids(challenges, titles) -> list[int]:
    by_title = {c.title: c.id for c in challenges}
    found = []
    for wanted in titles:
        match = next((cid for t, cid in by_title.items() if t.startswith(wanted)), None)
        if match is not None:
            found.append(match)
    return found


def _seed_city(event, organiser, challenges, *, now) -> int:
    """The representative's five challenges, approved and linked to the real ones."""
    name, email, city = REPRESENTATIVE
    invited_at = now - timedelta(days=13)
    rep = invite_representative(
        event, organiser, name=name, email=email, city=city, now=invited_at
    )
    for challenge in challenges:
        item = propose_challenge(
            rep,
            CityChallengeData(
                title=challenge.title,
                description=challenge.description,
                category=challenge.category,
                evidence_links=EVIDENCE.get(challenge.category, []),
            ),
            now=invited_at + timedelta(days=1),
        )
        # The challenges demo created these when the organiser approved them.
        approve_city_challenge(
            event,
            organiser,
            item,
            now=invited_at + timedelta(days=3),
            existing=challenge,
        )
    return len(challenges)


def _replace_block(event, organiser, *, now) -> None:
    block = next((s for s in event.sessions if s.title == BLOCK_TITLE), None)
    if block is not None:
        delete_session(block, organiser, now=now)


def seed_contributions(event, organiser, *, now) -> int:
    """Add this area's demo content to the fresh demo event; flushes; returns a count."""
    challenges = event_challenges(event)
    opens, closes = now - timedelta(days=14), now - timedelta(days=3)
    update_call(
        event,
        organiser,
        CallData(
            opens_at=opens,
            closes_at=closes,
            guidelines=GUIDELINES,
            kinds={"best_practice": [10, 15], "case_study": [10, 20]},
        ),
        now=opens,
    )
    reviewer = add_reviewer(
        event,
        organiser,
        "reviewer@example.org",
        "Dr. Anna Schmidt (demo reviewer)",
        now=opens,
    ).user
    _replace_block(event, organiser, now=closes)
    count = 0
    for i, row in enumerate(PROPOSALS):
        (name, email, zone, city, country, affiliation, title, kind, minutes,
         related, abstract, decision, offset, scores) = row  # fmt: skip
        submitted = opens + timedelta(days=1 + i)
        proposal = submit_proposal(
            event,
            ProposalData(
                title=title,
                abstract=abstract + DEMO_NOTE,
                kind=kind,
                duration_minutes=minutes,
                speakers=[
                    SpeakerInput(
                        name=name,
                        email=email,
                        affiliation=affiliation,
                        city=city,
                        country=country,
                        timezone=zone,
                    )
                ],
                challenge_ids=_challenge_ids(challenges, related),
                consent_publish=decision == "accepted",
                proposer_name=name,
                proposer_email=email,
                # The first accepted speaker shares slides, to be published.
                slides=(
                    Upload("slides.pdf", _demo_pdf(title, f"{name}, {city}"))
                    if i == 0
                    else None
                ),
            ),
            now=submitted,
        )
        rate(proposal, organiser, scores[0], now=closes)
        rate(proposal, reviewer, scores[1], "Demo rating.", now=closes)
        if decision == "accepted":
            start = to_local(event.start_at + timedelta(minutes=offset), event.timezone)
            decide(
                proposal,
                organiser,
                "accepted",
                default_message(proposal, "accepted"),
                now=closes + timedelta(days=1),
                start=start.replace(tzinfo=None),
            )
        else:
            decide(
                proposal,
                organiser,
                decision,
                DECISION_MESSAGES[decision],
                now=closes + timedelta(days=1),
            )
        count += 1
    count += _seed_city(event, organiser, challenges, now=now)
    db.session.flush()
    return count
