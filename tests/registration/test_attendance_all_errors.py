"""The attendance preview lists every refused row in the error summary at
the top, each linked to its row's choice, and applies nothing."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.forms_attendance import links_from
from tests.form_summary import error_text, summary_links, summary_text
from tests.registration.attendance_reports import HOST
from tests.registration.test_attendance_link_pages import (
    GUEST,
    att_event,  # noqa: F401 (fixture)
    preview,
    registrants,  # noqa: F401 (fixture)
    select_for,
)
from tests.registration.test_attendance_pages import import_count, state, token_in, url

VISITOR = ("Visitor 77", "", "16:05", "17:00", 55)


def test_every_row_that_is_no_registrant_is_named(app):
    with pytest.raises(ValidationFailed) as refused:
        links_from({"link-0": "x", "link-1": "", "link-2": "-3"}, 3)
    assert [name for name, _m in refused.value.problems] == ["link-0", "link-2"]


def test_two_refused_rows_are_in_the_summary_with_a_link_each(
    client,
    login,
    organiser,
    att_event,  # noqa: F811
    registrants,  # noqa: F811
):
    login(organiser)
    page = preview(client, att_event, [HOST, GUEST, VISITOR])
    guest, visitor = select_for(page, "Guest 2291"), select_for(page, "Visitor 77")
    ana, ben = registrants["Ana Ferreira"], registrants["Jan de Vries"]
    for person in (ana, ben):
        person.status = "cancelled"  # since the preview
    db.session.commit()

    response = client.post(
        url(att_event, "/apply"),
        data={"token": token_in(page), guest: str(ana.id), visitor: str(ben.id)},
    )

    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert sorted(summary_links(text)) == sorted([guest, visitor])
    assert "There are 2 problems with this form" in text
    assert "Guest 2291" in summary_text(text) and "Visitor 77" in summary_text(text)
    for link in (guest, visitor):
        assert "not a confirmed registrant" in error_text(text, link)
    assert 'class="form-errors"' not in text
    assert all(v == (False, None) for v in state(registrants).values())
    assert import_count() == 0
