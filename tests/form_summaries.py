"""Reading a refused form's page: the error summary's links and the message
shown next to a field (``form_errors`` and ``field_error`` macros)."""

from __future__ import annotations

import re


def summary_links(page: str) -> list[str]:
    """The ids the error summary at the top links to, in order."""
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def error_text(page: str, name: str) -> str:
    """The message next to the field ``name``; fails when there is none."""
    marker = f'id="{name}-error"'
    assert marker in page, f"no error next to {name}"
    return page.split(marker, 1)[1].split("</small>", 1)[0]
