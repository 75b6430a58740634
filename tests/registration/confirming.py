"""Going through a confirmation page in a test: show it, then confirm it."""

from __future__ import annotations

import re

FINGERPRINT = re.compile(r'<input[^>]*name="fingerprint"[^>]*>')
VALUE = re.compile(r'value="([0-9a-f-]+)"')


def fingerprint_of(page: str) -> str:
    """The fingerprint of the plan a confirmation page shows."""
    found = FINGERPRINT.search(page)
    assert found, "no confirmation form on the page"
    return VALUE.search(found.group(0)).group(1)


def confirm_bulk(client, url: str, data: dict, *, follow_redirects=False):
    """Post a bulk decision, read its confirmation page, confirm it."""
    shown = client.post(url, data=data)
    assert shown.status_code == 200, shown.status_code
    confirmed = {
        **data,
        "confirm": "1",
        "fingerprint": fingerprint_of(shown.get_data(as_text=True)),
    }
    return client.post(url, data=confirmed, follow_redirects=follow_redirects)


def confirm_cancel(client, url: str, *, follow_redirects=False):
    """Open one cancellation's confirmation page, then confirm it."""
    shown = client.get(url)
    assert shown.status_code == 200, shown.status_code
    return client.post(
        url,
        data={"fingerprint": fingerprint_of(shown.get_data(as_text=True))},
        follow_redirects=follow_redirects,
    )


CHANGE = re.compile(r'name="confirm_change" value="([^"]+)"')


def confirm_event_edit(client, url: str, data: dict, *, follow_redirects=False):
    """Post an event's edit, read what it sends, confirm those numbers."""
    shown = client.post(url, data=data)
    assert shown.status_code == 200, shown.status_code
    found = CHANGE.search(shown.get_data(as_text=True))
    assert found, "no confirmation of the change on the page"
    return client.post(
        url,
        data={**data, "confirm_change": found.group(1).replace("&#43;", "+")},
        follow_redirects=follow_redirects,
    )
