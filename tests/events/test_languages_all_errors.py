"""The Languages page reports every problem of one submit: each translation
too long beside its field and together in the error summary at the top,
linked to each; the event's languages name both their fields; nothing saved."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services.languages import (
    content_texts,
    save_translations,
    set_content_languages,
)
from consult.extensions import db
from tests.form_summary import error_text, summary_links, summary_text


@pytest.fixture
def bilingual(reg_event, organiser, now):
    set_content_languages(reg_event, organiser, "en", ["ms"], now=now)
    db.session.commit()
    return reg_event


def _too_long(event) -> dict[str, str]:
    """The event's first two texts on the page, each one character too long."""
    first, second = content_texts(event, "ms")[:2]
    return {t.key: "x" * (t.limit + 1) for t in (first, second)}


def test_the_service_reports_every_text_too_long(bilingual, organiser, now):
    values = _too_long(bilingual)
    with pytest.raises(ValidationFailed) as refused:
        save_translations(
            bilingual, organiser, "ms", {**values, "event-0-title": "x"}, now=now
        )
    assert [name for name, _m in refused.value.problems] == [None, *values]
    db.session.rollback()
    assert db.session.get(Event, bilingual.id).translations == {}


def test_the_languages_name_both_their_fields(reg_event, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        set_content_languages(reg_event, organiser, "xx", ["fr"], now=now)
    assert [name for name, _m in refused.value.problems] == ["default", "others"]


def test_one_submit_lists_every_text_in_the_summary(
    client, login, organiser, bilingual
):
    login(organiser)
    values = _too_long(bilingual)
    response = client.post(
        f"/manage/events/{bilingual.slug}/translations/ms", data=values
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert summary_links(html) == list(values)
    for key in values:
        assert "At most" in error_text(html, key)
    assert "There are 2 problems with this form" in html
    assert 'class="form-errors"' not in html  # no list of its own any more
    db.session.expire_all()
    assert db.session.get(Event, bilingual.id).translations == {}


def test_a_text_of_another_event_is_said_in_the_summary(
    client, login, organiser, bilingual, make_reg_event
):
    other = make_reg_event(title="Another consultation")
    db.session.commit()
    login(organiser)
    response = client.post(
        f"/manage/events/{bilingual.slug}/translations/ms",
        data={f"event-{other.id}-title": "Bukan milik"},
    )
    assert response.status_code == 422
    assert "These texts are not this event&#39;s." in summary_text(response.text)
    db.session.expire_all()
    assert db.session.get(Event, other.id).translations == {}
