"""What a browser without JavaScript sends for a form, read from the page's HTML.

`browser_form(html, action_part)` finds the first form whose action contains
action_part and returns (action, fields): every successful control with the
value the HTML gives it (text inputs and textareas their value, checked boxes
and radios, each select's selected option or else its first, as browsers do),
and `hidden_without_script(html)` lists what the page hides before any script
runs. Tests add what the person types and post the result: no field a script
would have filled is there unless the HTML itself carries it.
"""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}
CONTROLS = {"input", "select", "textarea", "button"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}  # fmt: skip


class _FormReader(HTMLParser):
    def __init__(self, action_part: str):
        super().__init__(convert_charrefs=True)
        self.action_part = action_part
        self.action: str | None = None
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.done and not self.inside:
            if self.action_part in a.get("action", ""):
                self.inside, self.action = True, a.get("action", "")
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in SKIPPED_INPUTS:
                self.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": a.get("value"),
                "text": "",
                "selected": "selected" in a,
            }
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = (
                option["value"]
                if option["value"] is not None
                else option["text"].strip()
            )
            if self._select["first"] is None:
                self._select["first"] = value
            if option["selected"]:
                self._select["chosen"] = value
            self._option = None
        elif tag == "select" and self._select is not None:
            s = self._select
            value = s["chosen"] if s["chosen"] is not None else s["first"]
            if value is not None:
                self.fields.append((s["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self.fields.append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def browser_form(html: str, action_part: str) -> tuple[str, dict]:
    """(action, fields) of the first form whose action contains action_part.

    fields maps a name to its value, or to a list of values for repeated names.
    """
    reader = _FormReader(action_part)
    reader.feed(html)
    assert reader.action is not None, f"no form posting to …{action_part}"
    fields: dict[str, str | list[str]] = {}
    for name, value in reader.fields:
        if name in fields:
            previous = fields[name]
            fields[name] = (
                [*previous, value] if isinstance(previous, list) else [previous, value]
            )
        else:
            fields[name] = value
    return reader.action, fields


class _HiddenReader(HTMLParser):
    """Elements hidden before any script runs, with the text and controls inside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        style = a.get("style", "").replace(" ", "").lower()
        hidden = "hidden" in a and not (tag == "input" and a.get("type") == "hidden")
        hidden = hidden or "display:none" in style
        if tag in CONTROLS and a.get("type") != "hidden":
            for open_ in self.stack:
                open_["controls"] += 1
        if tag in VOID:
            return
        element = {"tag": tag, "attrs": a, "text": "", "controls": 0, "hidden": hidden}
        self.stack.append(element)

    def handle_data(self, data):
        for open_ in self.stack:
            open_["text"] += data

    def handle_endtag(self, tag):
        while self.stack:
            element = self.stack.pop()
            if element["hidden"]:
                self.found.append(element)
            if element["tag"] == tag:
                break


def hidden_without_script(html: str) -> list[dict]:
    """Each element the HTML hides (hidden attribute, display:none) with its content."""
    reader = _HiddenReader()
    reader.feed(html)
    return reader.found
