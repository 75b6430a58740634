"""User-written text: checked and trimmed before it is stored, and Markdown
rendered to HTML, then sanitised, when it is shown. Every area's services
clean text the same way, so these live here rather than in one area."""

from __future__ import annotations

import re

import nh3
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup

from consult.errors import ValidationFailed

# C0 control characters other than tab and line breaks, and DEL: invisible,
# and PostgreSQL refuses NUL in text outright.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def search_text(value, limit: int = 200) -> str:
    """A search box's text from a query string: printable characters only (a
    NUL would fail PostgreSQL's comparison), trimmed and cut to ``limit``."""
    return "".join(ch for ch in str(value or "") if ch.isprintable()).strip()[:limit]


def refuse_control_characters(text: str, field: str) -> str:
    """The text unchanged, or ValidationFailed if it holds control characters."""
    if _CONTROL_CHARACTERS.search(text):
        raise ValidationFailed(
            _("Please remove the invisible control characters from this text."),
            field=field,
        )
    return text


def clean_text(
    value: str | None, field: str, *, max_length: int, required: bool = False
) -> str:
    """The value trimmed, or ValidationFailed (named after ``field``) when it
    holds control characters, is missing though required, or is too long."""
    text = refuse_control_characters((value or "").strip(), field)
    if required and not text:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            _("At most %(n)d characters, please.", n=max_length), field=field
        )
    return text


# Raw HTML in the source is escaped by the parser; nh3 then removes anything
# that is not on the allow list, so no script, handler or javascript: URL survives.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}


# What Markdown reads inside a line: emphasis, code, links, autolinks.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>])")


def markdown_literal(text: str) -> str:
    """``text`` (a name, a title) escaped so Markdown shows it as typed."""
    return _INLINE_MARKUP.sub(r"\\\1", text)


def render_markdown(source: str | None) -> Markup:
    """Markdown -> safe HTML. Headings start at h2 (h1 is the page title)."""
    if not source:
        return Markup("")
    html = _md.render(source)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
