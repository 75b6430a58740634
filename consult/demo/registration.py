"""Demo registrations for the Petaling Jaya consultation (`seed-demo`).

About sixty invented people across every stakeholder type, from Malaysia and
EU member states: the private sector is capped so a few wait for a seat, one
expert awaits approval and one person was registered by phone by the organiser.
All of it goes through the real services, so seats, the waiting list and the
emails are exactly what a real registration produces.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from consult.events.models import Event
from consult.registration.services import (
    RegistrationData,
    ensure_stakeholder_types,
    register,
)
from consult.registration.services.settings import QuestionData, add_question

PRIVATE_SECTOR_CAP = 12

QUESTIONS = [
    QuestionData("Level of government", "choice", "",
                 ["National / federal", "State", "Local / municipal", "Public agency"],
                 True, ["government"]),
    QuestionData("Sector of your company", "choice", "",
                 ["Packaging and plastics", "Food and retail", "Construction",
                  "Electronics and e-waste", "Waste management and recycling",
                  "Digital services", "Other"],
                 True, ["private"]),
    QuestionData("Company size", "choice", "",
                 ["Micro (fewer than 10)", "Small (10-49)", "Medium (50-249)",
                  "Large (250 or more)"],
                 False, ["private"]),
    QuestionData("Research field", "text", "For example materials science or urban planning.",
                 [], False, ["research"]),
    QuestionData("Main focus of your organisation", "text", "",
                 [], False, ["civil_society", "informal"]),
]  # fmt: skip

# (name, country, city, organisation, job title, type, answers by question index)
PEOPLE = [
    ("Tan Wei Ming", "MY", "Petaling Jaya", "Petaling Jaya City Council (MBPJ)", "Deputy Director, Environment", "government", {0: "Local / municipal"}),
    ("Nor Azizah Hamid", "MY", "Shah Alam", "Selangor State Economic Planning Unit", "Senior Planner", "government", {0: "State"}),
    ("Rajesh Kumar", "MY", "Putrajaya", "Ministry of Natural Resources and Environmental Sustainability", "Principal Assistant Secretary", "government", {0: "National / federal"}),
    ("Lim Siew Ling", "MY", "Kuala Lumpur", "Solid Waste Management and Public Cleansing Corporation", "Policy Officer", "government", {0: "Public agency"}),
    ("Ahmad Faizal Ismail", "MY", "Petaling Jaya", "Petaling Jaya City Council (MBPJ)", "Urban Services Officer", "government", {0: "Local / municipal"}),
    ("Chong Mei Yee", "MY", "Subang Jaya", "Subang Jaya City Council", "Sustainability Officer", "government", {0: "Local / municipal"}),
    ("Jan de Vries", "NL", "Utrecht", "Municipality of Utrecht", "Circular Procurement Adviser", "government", {0: "Local / municipal"}),
    ("Anna Nowak", "PL", "Warsaw", "City of Warsaw, Environmental Protection Office", "Head of Unit", "government", {0: "Local / municipal"}),
    ("Camille Bernard", "FR", "Lyon", "Métropole de Lyon", "Zero-Waste Programme Manager", "government", {0: "Local / municipal"}),
    ("Lukas Becker", "DE", "Berlin", "Federal Environment Agency", "Scientific Officer", "government", {0: "Public agency"}),
    ("Mateja Novak", "SI", "Ljubljana", "City of Ljubljana", "Circular Economy Coordinator", "government", {0: "Local / municipal"}),
    ("Sofia Marques", "PT", "Porto", "Porto Municipality", "Environment Technician", "government", {0: "Local / municipal"}),
    ("Wong Kah Hoe", "MY", "Petaling Jaya", "PJ Packaging Sdn Bhd", "Managing Director", "private", {1: "Packaging and plastics", 2: "Medium (50-249)"}),
    ("Siti Nurhaliza Yusof", "MY", "Kuala Lumpur", "Kedai Runcit Hijau", "Owner", "private", {1: "Food and retail", 2: "Micro (fewer than 10)"}),
    ("Kevin Teoh", "MY", "Petaling Jaya", "BinaHijau Construction", "Sustainability Manager", "private", {1: "Construction", 2: "Large (250 or more)"}),
    ("Priya Nair", "MY", "Cyberjaya", "E-Cycle Malaysia", "Operations Lead", "private", {1: "Electronics and e-waste", 2: "Small (10-49)"}),
    ("Muhammad Hafiz Rahman", "MY", "Klang", "Klang Valley Recyclers", "Business Development", "private", {1: "Waste management and recycling", 2: "Medium (50-249)"}),
    ("Ong Li Ting", "MY", "Petaling Jaya", "ShareKL", "Co-founder", "private", {1: "Digital services", 2: "Micro (fewer than 10)"}),
    ("Daniel Lee", "MY", "Kuala Lumpur", "Federation of Malaysian Manufacturers", "Policy Analyst", "private", {1: "Other", 2: "Large (250 or more)"}),
    ("Sophie Janssen", "NL", "Amsterdam", "Circular Packaging BV", "Product Designer", "private", {1: "Packaging and plastics", 2: "Small (10-49)"}),
    ("Marco Rossi", "IT", "Milan", "Riciclo Elettronico Srl", "CEO", "private", {1: "Electronics and e-waste", 2: "Medium (50-249)"}),
    ("Elena García", "ES", "Barcelona", "Reparem Cooperative", "Repair Network Coordinator", "private", {1: "Electronics and e-waste", 2: "Micro (fewer than 10)"}),
    ("Thomas Müller", "DE", "Hamburg", "ReBuild Materials GmbH", "Engineer", "private", {1: "Construction", 2: "Small (10-49)"}),
    ("Julie Peeters", "BE", "Ghent", "FoodLoop", "Founder", "private", {1: "Food and retail", 2: "Micro (fewer than 10)"}),
    ("Henrik Andersson", "SE", "Malmö", "Returbyrån AB", "Chief Operating Officer", "private", {1: "Waste management and recycling", 2: "Medium (50-249)"}),
    ("Lee Chun Wai", "MY", "Petaling Jaya", "Mega Plastics Berhad", "Compliance Manager", "private", {1: "Packaging and plastics", 2: "Large (250 or more)"}),
    ("Aisha Karim", "MY", "Shah Alam", "GreenByte Solutions", "Software Engineer", "private", {1: "Digital services", 2: "Small (10-49)"}),
    ("Dr. Noraini Abdullah", "MY", "Kuala Lumpur", "Universiti Malaya", "Associate Professor", "research", {3: "Polymer science and plastic recycling"}),
    ("Dr. Lim Boon Keat", "MY", "Serdang", "Universiti Putra Malaysia", "Senior Lecturer", "research", {3: "Food waste valorisation"}),
    ("Nurul Izzah Salleh", "MY", "Bangi", "Universiti Kebangsaan Malaysia", "PhD Candidate", "research", {3: "Informal recycling economies"}),
    ("Dr. Chen Jia Hui", "MY", "Semenyih", "University of Nottingham Malaysia", "Research Fellow", "research", {3: "Construction materials reuse"}),
    ("Prof. Pieter Smit", "NL", "Delft", "Delft University of Technology", "Professor of Circular Design", "research", {3: "Circular product design"}),
    ("Dr. Katarzyna Wiśniewska", "PL", "Kraków", "AGH University of Krakow", "Researcher", "research", {3: "E-waste material recovery"}),
    ("Dr. Antoine Dubois", "FR", "Paris", "Institute for Sustainable Development", "Policy Researcher", "research", {3: "Extended producer responsibility"}),
    ("Dr. Lena Hoffmann", "DE", "Wuppertal", "Wuppertal Institute", "Senior Researcher", "research", {3: "Urban material flows"}),
    ("Dr. Giulia Conti", "IT", "Bologna", "University of Bologna", "Assistant Professor", "research", {3: "Digital platforms for sharing"}),
    ("Dr. Miguel Santos", "PT", "Lisbon", "University of Lisbon", "Researcher", "research", {3: "Life-cycle assessment"}),
    ("Aino Virtanen", "FI", "Espoo", "VTT Technical Research Centre", "Research Scientist", "research", {3: "Bio-based packaging"}),
    ("Ravi Shankar", "MY", "Petaling Jaya", "Zero Waste Malaysia", "Programme Director", "civil_society", {4: "Zero-waste communities"}),
    ("Fatimah Zahra Othman", "MY", "Kuala Lumpur", "Consumers' Association of Selangor", "Campaign Officer", "civil_society", {4: "Consumer rights and plastics"}),
    ("Yap Su Lin", "MY", "Petaling Jaya", "PJ Residents' Network", "Chairperson", "civil_society", {4: "Neighbourhood recycling"}),
    ("Hasnah Mohd Noor", "MY", "Klang", "Women in Circular Economy Malaysia", "Coordinator", "civil_society", {4: "Women's livelihoods"}),
    ("Arif Hidayat", "MY", "Petaling Jaya", "Food Bank PJ", "Volunteer Lead", "civil_society", {4: "Food redistribution"}),
    ("Charlotte Dupont", "FR", "Lyon", "Circular Economy Club, Lyon", "Chapter Organiser", "civil_society", {4: "Circular economy education"}),
    ("Marta Kowalczyk", "PL", "Warsaw", "Circular Economy Club, Warsaw", "Chapter Organiser", "civil_society", {4: "Repair cafés"}),
    ("Emma Visser", "NL", "Utrecht", "Repair Café Utrecht", "Volunteer", "civil_society", {4: "Repair cafés"}),
    ("Laura Fernández", "ES", "Madrid", "Amigos de la Tierra", "Waste Campaigner", "civil_society", {4: "Plastic pollution"}),
    ("Johanna Weber", "AT", "Vienna", "ReUse Austria", "Project Manager", "civil_society", {4: "Reuse networks"}),
    ("Sean Murphy", "IE", "Dublin", "Community Reuse Network Ireland", "Policy Officer", "civil_society", {4: "Community reuse"}),
    ("Kumar Selvam", "MY", "Petaling Jaya", "PJ Waste Pickers' Collective", "Representative", "informal", {4: "Recyclable collection"}),
    ("Siti Aminah", "MY", "Petaling Jaya", "Community recyclers' association", "Secretary", "informal", {4: "Informal collectors' rights"}),
    ("Nguyen Thi Lan", "MY", "Kuala Lumpur", "Migrant Workers' Support Group", "Outreach Worker", "informal", {4: "Migrant waste workers"}),
    ("Zulkifli Hassan", "MY", "Klang", "Scrap dealer (sole trader)", "Owner", "informal", {4: "Scrap metal and e-waste"}),
    ("Mariam Abdul Rahim", "MY", "Petaling Jaya", "Night market traders' association", "Committee Member", "informal", {4: "Market stall packaging"}),
    ("Lakshmi Devi", "MY", "Petaling Jaya", "PPR Lembah Subang residents", "Community Leader", "informal", {4: "Low-income housing communities"}),
    ("Chin Ah Kow", "MY", "Petaling Jaya", "Kampung Lindungan traders", "Hawker", "informal", {4: "Food waste at hawker centres"}),
]  # fmt: skip

EXPERT = (
    "Dr. Ingrid Olsen",
    "DK",
    "Copenhagen",
    "Circular Economy Club, Copenhagen",
    "Circular Design Consultant",
)
ASSISTED = ("Pak Ismail bin Yusof", "MY", "Petaling Jaya", "Waste picker, SS2 area", "+60 12-345 6789")  # fmt: skip

ZONES = {"MY": "Asia/Kuala_Lumpur", "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw",
         "FR": "Europe/Paris", "DE": "Europe/Berlin", "SI": "Europe/Ljubljana",
         "PT": "Europe/Lisbon", "IT": "Europe/Rome", "ES": "Europe/Madrid",
         "BE": "Europe/Brussels", "SE": "Europe/Stockholm", "FI": "Europe/Helsinki",
         "AT": "Europe/Vienna", "IE": "Europe/Dublin", "DK": "Europe/Copenhagen"}  # fmt: skip
EMAIL_DOMAINS = {"MY": "example.my", "NL": "example.nl", "PL": "example.pl",
                 "FR": "example.fr", "DE": "example.de"}  # fmt: skip


# Letters that Unicode does not decompose into a base letter and an accent.
_SPELLED_OUT = str.maketrans(
    {"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th"}
)  # fmt: skip


def transliterate(text: str) -> str:
    """'Elena García' -> 'Elena Garcia', 'Thomas Müller' -> 'Thomas Muller'.

    An address with a non-ASCII local part cannot be sent without SMTPUTF8,
    and dropping the accented letters ('garca') gives addresses nobody has.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.encode("ascii", "ignore").decode()


def _email(name: str, country: str) -> str:
    words = [w for w in name.replace("Dr.", "").replace("Prof.", "").split() if w]
    local = ".".join(w.lower().strip(".") for w in (words[0], words[-1]))
    ascii_local = transliterate(local) or "person"
    return f"{ascii_local}@{EMAIL_DOMAINS.get(country, 'example.org')}"


# Malaysian Chinese family names: those people read their messages in
# Simplified Chinese; Malaysians of the informal sector and civil society
# in Bahasa Malaysia; everyone else in the default language.
CHINESE_FAMILY_NAMES = ("Tan", "Lim", "Chong", "Wong", "Lee", "Ng", "Ong", "Goh", "Teo")


def _language(name: str, country: str, type_key: str) -> str | None:
    """The language a demo registrant's messages are written in (None: default)."""
    if country != "MY":
        return None
    if name.split()[0] in CHINESE_FAMILY_NAMES:
        return "zh_Hans"
    if type_key in ("informal", "civil_society"):
        return "ms"
    return None


def seed_registrations(event: Event, organiser, *, now: datetime) -> int:
    """Add the demo questions and registrations to a fresh demo event; flushes.

    Registrations are spread over the days since registration opened, so the
    organiser's views show them arriving over time; their emails are due now.
    """
    opened = event.registration_opens_at or now
    step = (now - opened) / (len(PEOPLE) + 2)
    types = {t.key: t for t in ensure_stakeholder_types(event)}
    types["private"].cap = PRIVATE_SECTOR_CAP
    questions = [add_question(event, organiser, q, now=now) for q in QUESTIONS]
    people = 0
    for offset, (name, country, city, org, title, type_key, answers) in enumerate(
        PEOPLE
    ):
        register(
            event,
            RegistrationData(
                full_name=name, organisation=org, job_title=title, country=country,
                city=city, timezone=ZONES[country], email=_email(name, country),
                type_key=type_key, consent_privacy=True,
                consent_recording=offset % 3 != 0, consent_listing=offset % 2 == 0,
                consent_followup=True,
                needs_interpretation="Bahasa Malaysia" if type_key == "informal" else "",
                needs_captions=offset % 11 == 0,
                language=_language(name, country, type_key),
                answers={str(questions[i].id): v for i, v in answers.items()},
            ),
            now=opened + step * offset,
        )  # fmt: skip
        people += 1
    name, country, city, org, title = EXPERT
    register(
        event,
        RegistrationData(
            full_name=name, organisation=org, job_title=title, country=country,
            city=city, timezone=ZONES[country], email=_email(name, country),
            type_key="civil_society", role="expert", consent_privacy=True,
            consent_followup=True, answers={str(questions[4].id): "Circular design"},
        ),
        now=opened + step * len(PEOPLE),
    )  # fmt: skip
    name, country, city, org, phone = ASSISTED
    register(
        event,
        RegistrationData(
            full_name=name, organisation=org, country=country, city=city,
            timezone=ZONES[country], phone=phone, type_key="informal",
            consent_privacy=True, needs_interpretation="Bahasa Malaysia",
        ),
        now=opened + step * (len(PEOPLE) + 1),
        assisted_by=organiser,
    )  # fmt: skip
    return people + 2
