"""User Markdown is rendered, then sanitised: no script survives."""

from html.parser import HTMLParser

import pytest

from consult.text import render_markdown


class _Elements(HTMLParser):
    """Collects the real elements and attributes of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="#" onclick="steal()">x</a>',
    "<iframe src=//evil.example></iframe>",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "<svg onload=alert(1)>",
    '[x](  javascript:alert(1) "t")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dangerous_markup_is_neutralised(payload):
    html = str(render_markdown("Hello\n\n" + payload))
    found = elements(html)
    assert not {"script", "img", "iframe", "svg", "object"} & set(found.tags)
    assert not [name for name, _ in found.attributes if name.startswith("on")]
    for name, value in found.attributes:
        if name in ("href", "src"):
            assert value.startswith(("http://", "https://", "mailto:")), value
    assert "Hello" in html


def test_ordinary_markdown_survives():
    html = str(render_markdown("# Title\n\n**bold** and [a link](https://example.org)"))
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert "noopener" in html


def test_empty_source_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""
