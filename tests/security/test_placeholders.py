"""Organisers' reminder texts: placeholders are names, never format directives.

Uses `world_app` (not the per-test `app`, which would empty the shared world).

Found by the security suite: `{first_name:>999999999}` passed the check and
str.format built a gigabyte string per recipient in the scheduler.
"""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.notifications.reminders.placeholders import (
    check_placeholders,
    fill_placeholders,
)


@pytest.mark.parametrize(
    "text",
    [
        "Hello {first_name:>999999999}",
        "Hello {first_name!r}",
        "{event_title:.3}",
        "{first_name.__class__}",
        "{first_name[0]}",
        "{unknown}",
        "{",
    ],
)
def test_format_directives_and_unknown_names_are_refused(world_app, text):
    with pytest.raises(ValidationFailed):
        check_placeholders(text, "body")


def test_plain_placeholders_are_filled_and_directives_never_run(world_app):
    check_placeholders("Hi {first_name}, see {{you}} at {start_local}", "body")
    values = {"first_name": "Ann", "start_local": "16:00"}
    assert (
        fill_placeholders("Hi {first_name}, see {{you}} at {start_local}", values)
        == "Hi Ann, see {you} at 16:00"
    )
    # Texts stored before the check: no padding, no lookups, no errors.
    assert fill_placeholders("{first_name:>999999999}!", values) == "Ann!"
    assert fill_placeholders("{first_name.__class__}{nope}", values) == ""
    assert fill_placeholders("broken {", values) == "broken {"
