"""The speakers' time-zone picker: a filterable list, aliases read as canonical."""

import re

from sqlalchemy import select

from consult.contributions.models import ProposalSpeaker
from consult.extensions import db
from tests.contributions.test_pages import form_data
from tests.registration.test_zone_pickers import datalist


def test_speaker_zone_list_starts_with_the_event_zone(client, cb_event):
    page = client.get(f"/events/{cb_event.slug}/contribute").get_data(as_text=True)
    assert re.search(r'<input[^>]*list="speakers-0-timezone-zones"', page)
    options = datalist(page, "speakers-0-timezone-zones")
    assert options[0] == cb_event.timezone == "Asia/Kuala_Lumpur"
    assert "Europe/Kiev" not in options and "Europe/Kyiv" in options


def test_a_speaker_alias_is_stored_as_the_canonical_zone(client, cb_event):
    response = client.post(
        f"/events/{cb_event.slug}/contribute",
        data=form_data(**{"speakers-0-timezone": "Europe/Kiev"}),
    )
    assert response.status_code == 302
    speaker = db.session.scalar(select(ProposalSpeaker))
    assert speaker.timezone == "Europe/Kyiv"
