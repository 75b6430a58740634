"""Demo content for the library area, added by consult.demo.seed_demo().

Real public resources on the demo consultation's themes. A link is given only
where its public address is stable (EUR-Lex identifiers, the publishers' own
pages); the rest name the document so it can be found.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.extensions import db
from consult.library.services import ResourceData, create_resource

# (days ago, title, category, city, country, link, summary)
RESOURCES = [
    (
        40,
        "Circular Economy Action Plan (European Commission, 2020)",
        "other",
        "Brussels",
        "BE",
        "https://environment.ec.europa.eu/strategy/circular-economy-action-plan_en",
        "One of the main building blocks of the **European Green Deal**: measures "
        "along the whole life cycle of products, from design to waste.\n\n"
        "- sustainable products made to last, to be reused, repaired and recycled;\n"
        "- key value chains: electronics and ICT, batteries, **packaging, "
        "plastics**, textiles, construction and buildings, food, water and "
        "nutrients;\n"
        "- less waste, and a working EU market for secondary raw materials.",
    ),
    (
        38,
        "Circular economy in cities (Ellen MacArthur Foundation)",
        "other",
        "Cowes",
        "GB",
        "https://www.ellenmacarthurfoundation.org/topics/cities/overview",
        "Why cities are where the circular economy is built, and what city "
        "governments can do: planning and urban development, public procurement, "
        "city-owned assets and buildings, and partnerships with business. "
        "Includes **case studies** from cities around the world and guidance on "
        "food, buildings and mobility.",
    ),
    (
        35,
        "Malaysia Plastics Sustainability Roadmap 2021–2030",
        "plastics_packaging",
        "Putrajaya",
        "MY",
        "",
        "Malaysia's national roadmap for **plastics**, published by the federal "
        "ministry responsible for the environment in 2021. It sets out how plastic "
        "products and packaging should be designed, used, collected and recycled "
        "so that plastic stays in the economy and out of the environment, and "
        "what is expected of industry, government and consumers — the context "
        "for Petaling Jaya's challenge on plastic pollution and packaging.",
    ),
    (
        30,
        "Directive (EU) 2019/904 on single-use plastics",
        "plastics_packaging",
        "Brussels",
        "BE",
        "https://eur-lex.europa.eu/eli/dir/2019/904/oj",
        "The EU law on the **single-use plastic** items most often found on "
        "beaches: market bans where alternatives exist (cutlery, plates, straws, "
        "expanded polystyrene food containers), consumption reduction for cups "
        "and food containers, tethered caps, recycled content in PET bottles, "
        "separate collection targets for bottles, and extended producer "
        "responsibility that covers clean-up costs.",
    ),
    (
        26,
        "Directive 2012/19/EU on waste electrical and electronic equipment (WEEE)",
        "e_waste",
        "Brussels",
        "BE",
        "https://eur-lex.europa.eu/eli/dir/2012/19/oj",
        "How the EU organises the collection and treatment of **e-waste**: "
        "collection targets, free take-back by retailers, producer "
        "responsibility for financing, and minimum recovery and recycling rates "
        "per category of equipment.",
    ),
    (
        21,
        "Repair Café Foundation",
        "e_waste",
        "Amsterdam",
        "NL",
        "https://www.repaircafe.org/en/",
        "The international network of free meeting places where volunteers help "
        "people **repair** household appliances, clothes, bicycles and toys. The "
        "foundation supports anyone who wants to start a Repair Café with a "
        "starter kit, and collects data on what breaks and why.",
    ),
    (
        14,
        "Level(s): the European framework for sustainable buildings",
        "construction",
        "Brussels",
        "BE",
        "https://environment.ec.europa.eu/topics/circular-economy/levels_en",
        "A common language for the sustainability of **buildings** across their "
        "life cycle, with indicators for material use, construction and "
        "demolition waste, design for adaptability and deconstruction, and "
        "life-cycle assessment.",
    ),
]


def _challenge_by_category(event) -> dict[str, int]:
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.position, Challenge.id)
    )
    found: dict[str, int] = {}
    for challenge in challenges:
        found.setdefault(challenge.category, challenge.id)
    return found


def seed_library(event, organiser, *, now) -> int:
    """Add this area's demo content to the fresh demo event; flushes; returns a count."""
    challenges = _challenge_by_category(event)
    for days, title, category, city, country, link, summary in RESOURCES:
        create_resource(
            organiser,
            ResourceData(
                title=title,
                summary=summary,
                link=link,
                city=city,
                country=country,
                category=category,
                event_id=event.id,
                challenge_id=challenges.get(category),
            ),
            now=now - timedelta(days=days),
        )
    return len(RESOURCES)
