"""Pages rendered by the Flask test client, shown to a real headless Chromium.

No server runs: every request the browser makes (the page, its CSS, JS and
images) is answered with the exact bytes and headers (CSP included) of the
test client's response, through Playwright's request interception. Requests
to any other host are refused and recorded.

The browser tests skip locally without Playwright or /usr/bin/chromium and
fail in CI (CI=true), like the PostgreSQL tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://localhost"

# Registered before any page script: every CSP violation is reported.
WATCH_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI
                + ' ' + (e.sample || ''));
});
"""

# After load: what would run or navigate if the CSP were not there.
DOM_PROBLEMS = """
() => {
  const problems = [];
  const bad = /^\\s*(javascript|vbscript|data:text\\/html)/i;
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc']
          .includes(name) && bad.test(attr.value.replace(/[\\x00-\\x20]/g, '')))
        problems.push(el.tagName + ' ' + name + '=' + attr.value.slice(0, 60));
      if (name === 'style' && !el.closest('iframe')) problems.push(el.tagName + ' style');
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src') || '';
    if (!src.startsWith('/static/')) problems.push('SCRIPT ' + (src || s.textContent.slice(0, 60)));
  }
  for (const tag of ['iframe:not([sandbox])', 'object', 'embed', 'base', 'meta[http-equiv]',
                     'link[rel=import]', 'svg script', 'math']) {
    for (const el of document.querySelectorAll(tag)) problems.push('element ' + tag);
  }
  return problems;
}
"""


def require_browser():
    """The Playwright module, or skip (locally) / fail (in CI) without it."""
    reason = None
    try:
        from playwright import sync_api
    except ImportError:
        reason = "Playwright for Python is not installed"
    if reason is None and not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (Debian's chromium package)"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(f"{reason}; browser tests skipped")
    return sync_api


@dataclass
class Visit:
    url: str
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dom: list[str] = field(default_factory=list)
    text: str = ""

    def problems(self) -> list[str]:
        return (
            [f"dialog {d}" for d in self.dialogs]
            + self.violations
            + [f"request to {u}" for u in self.external]
            + [f"DOM: {d}" for d in self.dom]
        )


class Browser:
    """One Chromium; `visit(url, answer)` loads a page answered by `answer`.

    answer(method, path_with_query) -> (status, headers, body) or None.
    """

    def __init__(self, playwright):
        # The run's one Playwright driver (tests/conftest.py: playwright_driver).
        self._browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        self._context = self._browser.new_context()
        self._context.add_init_script(WATCH_VIOLATIONS)
        self._visit: Visit | None = None
        self._answer: Callable | None = None
        self._context.route("**/*", self._route)
        self.page = self._context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _route(self, route):
        request = route.request
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            self._visit.external.append(request.url)
            route.abort()
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = self._answer(request.method, path)
        if answer is None:
            route.abort()
            return
        status, headers, body = answer
        route.fulfill(status=status, headers=headers, body=body)

    def _dialog(self, dialog):
        self._visit.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        text = message.text
        if "CSP-VIOLATION" in text or "Content Security Policy" in text:
            self._visit.violations.append(text[:300])

    def visit(self, url: str, answer: Callable) -> Visit:
        self._visit, self._answer = Visit(url), answer
        self.page.goto(ORIGIN + url, wait_until="load")
        # Let handlers that fire after load (autofocus, toggle, animations) run.
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))"
        )
        self._visit.dom = self.page.evaluate(DOM_PROBLEMS)
        self._visit.text = self.page.inner_text("body")
        return self._visit

    def close(self):
        self._context.close()
        self._browser.close()
