"""Publishing the results reports every reason not to at once, in the error
summary at the top of its form: a note too long and an event still a draft."""

from __future__ import annotations

import pytest

from consult.dashboard.services.publication import (
    check_publication,
    publish_results,
    versions_of,
)
from consult.errors import Conflict, ValidationFailed
from tests.form_summary import error_text, summary_links, summary_text

DRAFT = "Publish the event before its results."


def test_a_long_note_and_a_draft_are_refused_together(make_reg_event, organiser, now):
    draft = make_reg_event(publish=False)
    with pytest.raises(ValidationFailed) as refused:
        publish_results(draft, organiser, note="x" * 5001, now=now)
    assert refused.value.problems == [
        ("note", "Keep the note under 5000 characters."),
        (None, DRAFT),
    ]
    with pytest.raises(Conflict):  # a draft alone is a state, not an input
        check_publication(draft, "Thanks")
    assert versions_of(draft) == []


def test_one_submit_shows_the_note_and_the_draft_in_the_summary(
    client, login, organiser, make_reg_event
):
    draft = make_reg_event(publish=False)
    login(organiser)
    response = client.post(
        f"/manage/events/{draft.slug}/results/publish", data={"note": "x" * 5001}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "5000 characters" in error_text(html, "note")
    assert DRAFT in summary_text(html)
    assert summary_links(html) == ["note"]
    assert "There are 2 problems with this form" in html
    assert versions_of(draft) == []
