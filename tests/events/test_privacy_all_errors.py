"""The privacy notice form (one field) says its problem beside the field and
in the summary, the form's rules and the service's alike; no version is made."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.events.models import PrivacyNotice
from consult.events.services.privacy import check_notice
from tests.effects import committed
from tests.form_summary import error_text, summary_links


def _versions() -> int:
    return committed().scalar(select(func.count(PrivacyNotice.id)))


def test_the_check_refuses_what_the_service_would():
    for text in ("  ", "x" * 20_001, "Bell\x07 inside"):
        with pytest.raises(ValidationFailed) as refused:
            check_notice(text)
        assert refused.value.field == "text_md"
    assert check_notice("  ## Who\n\nUs.  ") == "## Who\n\nUs."


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("   ", "This field is required."),  # the form's rule
        (
            "## Who\n\nThe city\x07 of PJ.",
            "invisible control characters",
        ),  # the service's
    ],
)
def test_a_refused_notice_is_said_beside_its_field_and_in_the_summary(
    client, login, organiser, reg_event, text, said
):
    login(organiser)
    before = _versions()
    response = client.post(
        f"/manage/events/{reg_event.slug}/privacy-notice", data={"text_md": text}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert said in error_text(page, "text_md")
    assert summary_links(page) == ["text_md"]
    assert _versions() == before
