"""The demo event in English and Bahasa Malaysia (issue 19 item 7).

The demo is written in English and offers Malay; every text a participant
reads has its Malay, looked up by its English words (consult.demo.malay), so
an English text changed without its Malay shows up here as missing.
"""

from __future__ import annotations

import re

from flask_babel import force_locale
from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.content import localized, text_in
from consult.demo import DEMO_ORGANISER_EMAIL, DEMO_SLUG, seed_demo
from consult.demo.malay import TEXTS, malay_of, words
from consult.demo.malay_challenges import CHALLENGE_TITLES
from consult.events.services.languages import content_texts, missing_counts
from consult.extensions import db
from consult.registration.models import StakeholderType
from consult.surveys.models import Survey


def _seeded(now):
    event = seed_demo(now=now).event
    db.session.commit()
    return event


def test_every_text_of_the_demo_event_has_its_malay(app, now):
    event = _seeded(now)
    assert (event.default_language, event.content_languages) == ("en", ["ms"])
    texts = content_texts(event, "ms")
    missing = [(t.key, t.original[:70]) for t in texts if t.missing]
    assert missing == [], "English demo texts without Malay in consult/demo/malay*.py"
    assert missing_counts(event) == {"ms": 0}
    # Each text has the Malay of its own English, not merely some Malay.
    assert all(t.translation == malay_of(t) for t in texts)
    # All that the brief lists is among them.
    groups = {t.group for t in texts}
    assert {"Event", "Agenda", "Stakeholder types", "Challenges"} <= groups
    assert {"Registration questions"} <= groups
    kinds = {t.key.split("-", 1)[0] for t in texts}
    assert {"event", "session", "type", "regq", "challenge", "survey"} <= kinds
    assert {"surveyq", "option"} <= kinds
    assert len([t for t in texts if t.key.startswith("challenge-")]) == 10
    surveys = [t for t in texts if t.key.startswith("survey-")]
    assert len(surveys) == 4  # two surveys, each a title and an introduction


def test_english_stays_the_default_text(app, now):
    event = _seeded(now)
    english = "Designing Circular Cities in Malaysia — Stakeholder Consultation Webinar"
    malay = "Mereka Bentuk Bandar Kitaran di Malaysia — Webinar Konsultasi Pihak Berkepentingan"
    assert event.title == english
    assert text_in(event, "title") == english  # no request: the default language
    challenge = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.position)
    ).first()
    informal = db.session.scalar(
        select(StakeholderType).where(
            StakeholderType.event_id == event.id, StakeholderType.key == "informal"
        )
    )
    pre = db.session.scalars(
        select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)
    ).first()
    question = pre.questions[0]
    with force_locale("en"):
        assert text_in(challenge, "title") == "Food and organic waste"
        assert text_in(question, "text") == "What do you most expect from this webinar?"
    with force_locale("ms"):
        assert text_in(event, "title") == malay
        assert localized(event, "title", "en").fallback is False
        assert text_in(challenge, "title") == "Sisa makanan dan organik"
        assert text_in(informal, "label") == "Sektor tidak formal & kumpulan komuniti"
        assert "golongan rentan" in text_in(informal, "description")
        assert text_in(pre, "title") == "Sebelum webinar: harapan anda"
        assert text_in(question, "text") == (
            "Apakah yang paling anda harapkan daripada webinar ini?"
        )
        labels = [text_in(option, "label") for option in question.options]
        assert "Mencari rakan kongsi untuk projek perintis" in labels
        assert "pelan tindakan tempatan" in text_in(event, "description_md")
    # Another language the event does not offer falls back to the English, marked.
    with force_locale("ko"):
        shown = localized(event, "title", "en")
        assert (shown.text, shown.fallback) == (english, True)


def test_every_malay_text_belongs_to_a_text_of_the_demo(app, now):
    """No Malay is kept for an English text the demo no longer has."""
    event = _seeded(now)
    present = {words(t.original) for t in content_texts(event, "ms")}
    unused = sorted(
        english[:70] for texts in TEXTS.values() for english in texts
        if english not in present
    )  # fmt: skip
    assert unused == []


def test_malay_keeps_the_markdown_of_the_english(app, now):
    """Bold, emphasis, headings and list items survive in the Malay texts."""
    event = _seeded(now)

    def shape(text: str) -> tuple:
        return (
            text.count("**"),
            len(re.findall(r"(?<!\*)\*(?!\*)", text)),
            len(re.findall(r"^#+ ", text, re.M)),
            len(re.findall(r"^(?:- |\d+\. )", text, re.M)),
            len(re.findall(r"\n\s*\n", text.strip())),
        )

    for text in content_texts(event, "ms"):
        assert shape(text.translation) == shape(text.original), text.key


def test_an_english_text_changed_without_its_malay_is_reported_missing(app, now):
    event = _seeded(now)
    challenge = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.position)
    ).first()
    by_key = {t.key: t for t in content_texts(event, "ms")}
    text = by_key[f"challenge-{challenge.id}-title"]
    assert malay_of(text) == CHALLENGE_TITLES["Food and organic waste"]

    # Line breaks and spacing do not matter; the words do.
    challenge.title = "Food  and\norganic waste"
    db.session.flush()
    text = {t.key: t for t in content_texts(event, "ms")}[text.key]
    assert malay_of(text) == "Sisa makanan dan organik"
    challenge.title = "Food, garden and organic waste"
    db.session.flush()
    text = {t.key: t for t in content_texts(event, "ms")}[text.key]
    assert malay_of(text) == ""
    db.session.rollback()


def test_the_demo_languages_page_shows_nothing_missing(app, client, login, now):
    from consult.auth.models import User

    event = _seeded(now)
    organiser = db.session.scalar(
        select(User).where(User.email == DEMO_ORGANISER_EMAIL)
    )
    login(organiser)
    response = client.get(f"/manage/events/{DEMO_SLUG}/languages?language=ms")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "badge-missing" not in html
    assert 'class="badge badge-published"' in html  # Malay: complete
    # Every text of the event is on the page with its Malay in the field.
    texts = content_texts(event, "ms")
    assert html.count('class="field translation') == len(texts)
    assert 'value="Sisa makanan dan organik"' in html
    assert "Petaling Jaya membentangkan lima cabaran ekonomi kitarannya" in html


def test_some_demo_registrants_read_their_messages_in_malay_or_chinese(app, now):
    from sqlalchemy import func

    from consult.registration.models import Registration

    _seeded(now)
    counts = dict(
        db.session.execute(
            select(Registration.language, func.count()).group_by(Registration.language)
        ).all()
    )
    assert counts.get("ms", 0) >= 3 and counts.get("zh_Hans", 0) >= 2
    assert counts.get(None, 0) > counts["ms"]
