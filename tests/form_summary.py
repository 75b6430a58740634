"""Reading a form page that came back with problems: the error summary's
links and the message next to a field (templates/_macros/forms.html)."""

from __future__ import annotations

import re


def summary_links(html: str) -> list[str]:
    """The ids the error summary at the top links to, in its order."""
    return re.findall(r'href="#([^"]+)"', summary_text(html))


def summary_text(html: str) -> str:
    """The error summary's HTML; fails when the page has none."""
    assert 'class="error-summary"' in html, "no error summary"
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]


def error_text(html: str, name: str) -> str:
    """The message shown next to the field whose id is ``name``."""
    marker = f'id="{name}-error"'
    assert marker in html, f"no error next to {name}"
    return html.split(marker, 1)[1].split("</small>", 1)[0]
