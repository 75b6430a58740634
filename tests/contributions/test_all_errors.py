"""The call's proposal form reports every problem of one submit, and says
beside the slides field that a chosen file must be chosen again."""

from __future__ import annotations

import io
import re

from tests.contributions.test_pages import form_data, proposals_count


def test_one_submit_shows_the_forms_and_the_services_problems(client, cb_event):
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=form_data(
            title="",  # the form's rule
            duration_minutes="7",  # the service's: not a length the call offers
            **{"speakers-0-name": "", "speakers-0-email": "x@example.org"},
            slides=(io.BytesIO(b"%PDF-1.4 slides"), "utrecht.pdf"),
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "lasts" in page.split('id="duration_minutes-error"', 1)[1][:300]
    assert "Every speaker needs a name." in page
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert "title" in links and "duration_minutes" in links
    # The browser does not send a file back: the page says so beside the field.
    assert "“utrecht.pdf” was not kept: choose the file again" in page
    assert proposals_count() == 0
