"""From an empty database and an organiser account, through the pages only:
the organiser creates and publishes an event, adds a registration question,
offers the event in Bahasa Melayu on the Languages page and saves Malay
translations through its form; a Malay visitor then reads them on the event
page, the registration form and their manage page, an English visitor reads
the English texts, and both registrations count in the same stakeholder
group and answer the same choice (ids and stored answers never depend on the
language)."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.events.models import Event
from consult.registration.models import Registration, RegistrationQuestion
from consult.registration.services import manage_token
from tests.effects import committed
from tests.events.test_manage_pages import FORM
from tests.factories import stakeholder_type
from tests.registration.test_public_pages import form
from tests.visitors import language_visitor

SLUG = "circular-design-clinic"
TITLE_MS = "Klinik Reka Bentuk Kitaran"
SUMMARY_MS = "Pakar menilai reka bentuk produk."
GOVERNMENT_MS = "Kerajaan & agensi awam"
QUESTION = "Which challenge matters most to you?"
QUESTION_MS = "Cabaran manakah yang paling penting bagi anda?"
HELP_MS = "Pilih satu."
MARKER = 'class="language-marker"'


def _ok(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_an_organiser_translates_the_event_and_a_malay_visitor_reads_it(
    app, client, login, organiser
):
    login(organiser)
    base = f"/manage/events/{SLUG}"
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    assert client.post(f"{base}/publish").status_code == 302
    added = client.post(
        f"{base}/registration-settings/questions/new",
        data={
            "label": QUESTION,
            "help_text": "Choose one.",
            "kind": "choice",
            "choices": "Food waste\nPlastics",
            "required": "",
        },
    )
    assert added.status_code == 302
    saved = client.post(f"{base}/languages", data={"default": "en", "others": ["ms"]})
    assert saved.status_code == 302

    event = committed().scalar(select(Event).where(Event.slug == SLUG))
    government = stakeholder_type(event, "government")
    question = committed().scalar(
        select(RegistrationQuestion).where(RegistrationQuestion.event_id == event.id)
    )
    page = _ok(client.get(f"{base}/languages?language=ms"))
    keys = set(re.findall(r'name="([a-z]+-\d+-[a-z_]+)"', page))
    wanted = {
        f"event-{event.id}-title": TITLE_MS,
        f"event-{event.id}-summary": SUMMARY_MS,
        f"type-{government.id}-label": GOVERNMENT_MS,
        f"regq-{question.id}-label": QUESTION_MS,
        f"regq-{question.id}-help_text": HELP_MS,
    }
    assert set(wanted) <= keys
    # The description is left untranslated.
    assert f"event-{event.id}-description_md" in keys
    saved = client.post(f"/manage/events/{SLUG}/translations/ms", data=wanted)
    assert saved.status_code == 302

    event = committed().scalar(select(Event).where(Event.slug == SLUG))
    assert event.content_languages == ["ms"]
    assert event.translations["ms"] == {"title": TITLE_MS, "summary": SUMMARY_MS}
    assert event.title == FORM["title"]  # the organiser's own text is untouched
    assert stakeholder_type(event, "government").translations == {
        "ms": {"label": GOVERNMENT_MS}
    }

    # The organiser's forms tell what is still missing in Malay.
    settings = _ok(client.get(f"{base}/registration-settings"))
    assert "texts not translated yet" in settings
    assert f"{base}/languages?language=ms" in settings

    malay = language_visitor(app, "ms")
    english = language_visitor(app)
    page = _ok(malay.get(f"/events/{SLUG}"))
    assert f"<h1>{TITLE_MS}</h1>" in page and SUMMARY_MS in page
    assert "<strong>prototype</strong>" in page and MARKER in page
    page = _ok(english.get(f"/events/{SLUG}", headers={"Accept-Language": "en"}))
    assert f"<h1>{FORM['title']}</h1>" in page and TITLE_MS not in page
    assert MARKER not in page

    form_page = _ok(malay.get(f"/events/{SLUG}/register"))
    assert TITLE_MS in form_page
    assert GOVERNMENT_MS.replace("&", "&amp;") in form_page
    assert QUESTION_MS in form_page and HELP_MS in form_page
    # Types not translated yet are shown in English, marked.
    assert MARKER in form_page
    form_page = _ok(
        english.get(f"/events/{SLUG}/register", headers={"Accept-Language": "en"})
    )
    assert QUESTION in form_page and QUESTION_MS not in form_page

    answer = f"q_{question.id}"
    for visitor, name, email in (
        (malay, "Siti Aminah", "siti@example.my"),
        (english, "Jan de Vries", "jan@example.nl"),
    ):
        registered = visitor.post(
            f"/events/{SLUG}/register",
            data=form(full_name=name, email=email, **{answer: "Plastics"}),
        )
        assert registered.status_code == 200

    people = committed().scalars(
        select(Registration).where(Registration.event_id == event.id)
    )
    people = {p.email: p for p in people}
    assert {p.stakeholder_type_id for p in people.values()} == {government.id}
    assert [p.answers for p in people.values()] == [{str(question.id): "Plastics"}] * 2

    siti = people["siti@example.my"]
    manage = _ok(malay.get(f"/events/{SLUG}/registration/{manage_token(siti)}"))
    assert TITLE_MS in manage
    assert GOVERNMENT_MS.replace("&", "&amp;") in manage
