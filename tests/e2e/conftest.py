"""The real stack for browser journeys: gunicorn, the scheduler, SMTP, Chromium.

Two stacks, each started once per test session when a journey needs it:
`stack` on a fresh database (PostgreSQL `<name>_e2e` derived from
TEST_DATABASE_URL, otherwise SQLite in a temporary folder) upgraded with
`flask db upgrade` and seeded with `consult seed-demo`, and `empty_stack` on
another (`<name>_e2e_empty`) holding only the organiser `consult
create-organiser` made, for journeys that build everything through the
pages. Each runs gunicorn with three
workers in production mode; the scheduler process delivering the outbox every
second to an aiosmtpd server that keeps every message. Playwright drives
Debian's Chromium. Without Chromium or Playwright the journeys are skipped
locally; in CI (CI=true) that fails the run.

Screenshots of each key step go to test-artifacts/screenshots/<journey>/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import IN_CI, postgres_url
from tests.processes import die_with_parent, start_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_SLUG = "designing-circular-cities-malaysia"
ORGANISER = ("organiser@example.org", "consult-demo")
# The only account of the empty stack.
NEW_ORGANISER = ("ines.weber@stadt-berlin.example", "kreislauf-2026-berlin")
AXE_BLOCKING = ("serious", "critical")
# The machine may be shared and slow: generous waits, never fixed sleeps.
WAIT_MS = 30_000
START_TIMEOUT = 90


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI must run the browser journeys")
    pytest.skip(f"{reason}; browser journeys skipped")


def require_browser() -> None:
    """Skip (locally) or fail (in CI) when Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Chromium not found at {CHROMIUM}")


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP --------------------------------------------------------------------


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, with waits for the next ones."""

    messages: list[EmailMessage] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.condition:
            self.messages.append(message)
            self.condition.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject: str = "", timeout: float = 60) -> EmailMessage:
        """The first message to `to` whose subject contains `subject`."""

        def found() -> EmailMessage | None:
            for message in self.messages:
                if (
                    to.lower() in str(message["To"]).lower()
                    and subject.lower() in str(message["Subject"]).lower()
                ):
                    return message
            return None

        with self.condition:
            if not self.condition.wait_for(found, timeout=timeout):
                subjects = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
                raise AssertionError(
                    f"no email to {to} about {subject!r} within {timeout}s; "
                    f"{len(subjects)} received, last: {subjects[-5:]}"
                )
            return found()

    def to(self, address: str) -> list[EmailMessage]:
        with self.condition:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]


def text_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""


def links_in(message: EmailMessage, base_url: str) -> list[str]:
    """Every link into the site found in the message's text."""
    pattern = re.escape(base_url) + r"/[^\s<>\"')\]]*"
    return re.findall(pattern, text_body(message))


# --- Database ----------------------------------------------------------------


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _fresh_database(tmp_path_factory, suffix: str) -> Iterator[str]:
    """A fresh database URL: `<TEST_DATABASE_URL's name><suffix>`, or SQLite."""
    base = postgres_url()
    if not base:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set; CI runs the journeys on it")
        yield "sqlite:///" + str(tmp_path_factory.mktemp("e2e-db") / "consult.db")
        return
    import psycopg

    parts = urlsplit(base)
    name = parts.path.lstrip("/") + suffix
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        pytest.fail(f"unexpected database name {name!r} in TEST_DATABASE_URL")

    def admin(sql: str) -> None:
        with psycopg.connect(_psycopg_url(base), autocommit=True) as conn:
            conn.execute(sql)

    try:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:  # depends on the machine
        if IN_CI:
            pytest.fail(f"cannot create the journeys' database {name}: {exc}")
        pytest.skip(f"cannot create the journeys' database {name}: {exc}")
    yield urlunsplit(parts._replace(path="/" + name))
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory) -> Iterator[str]:
    """The demo stack's database: `<TEST_DATABASE_URL's name>_e2e`, or SQLite."""
    yield from _fresh_database(tmp_path_factory, "_e2e")


@pytest.fixture(scope="session")
def empty_e2e_database(tmp_path_factory) -> Iterator[str]:
    """The empty stack's database: `<name>_e2e_empty`, or SQLite."""
    yield from _fresh_database(tmp_path_factory, "_e2e_empty")


# --- Processes ---------------------------------------------------------------


@dataclass
class Stack:
    base_url: str
    database_url: str
    mailbox: Mailbox
    instance_dir: Path
    env: dict[str, str]

    def url(self, path: str) -> str:
        return self.base_url + path

    def flask(self, *args: str, timeout: float = 120, typed: str = "") -> str:
        """Run a `flask --app wsgi` command against the stack's database.

        `typed`: what a person types at the command's prompts.
        """
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
            input=typed, preexec_fn=die_with_parent(),
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    # Own process group, so teardown reaches gunicorn's workers too; dies
    # with pytest even when pytest is killed.
    return start_server(args, cwd=ROOT, env=env, log=log)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _wait_until_serving(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(base_url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)


@contextmanager
def running_stack(
    database_url: str, tmp_path_factory, prepare: Callable[[Stack], object]
) -> Iterator[Stack]:
    """The whole product on 127.0.0.1: migrated, `prepare`d, serving, sending mail."""
    require_browser()
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    instance = tmp_path_factory.mktemp("e2e-instance")
    logs = tmp_path_factory.mktemp("e2e-logs")
    port = free_port()
    env = {
        **os.environ,
        "CONSULT_ENV": "production",
        "SECRET_KEY": "e2e-journeys-" + os.urandom(16).hex(),
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(instance),
        "SERVER_NAME": f"127.0.0.1:{port}",
        "PREFERRED_URL_SCHEME": "http",
        # Production marks the session cookie Secure; Chromium keeps it for
        # http://127.0.0.1, a potentially trustworthy origin.
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_USE_TLS": "false",
        "MAIL_USE_SSL": "false",
        "MAIL_DEFAULT_SENDER": "Consult <no-reply@consult.example>",
        "MAIL_TIMEOUT": "10",
        "SCHEDULER_OUTBOX_INTERVAL": "1",
        "SCHEDULER_REMINDER_INTERVAL": "1",
        "SCHEDULER_STANDBY_POLL": "1",
        "SCHEDULER_EXPORT_INTERVAL": "1",
        # Three workers with per-process counters: production refuses that
        # (limits would be three times looser). The journeys are not about
        # rate limits, which tests/auth and tests/security prove across
        # workers sharing Redis, so they run with limits off.
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("FLASK_APP", "FLASK_DEBUG", "TEST_DATABASE_URL"):
        env.pop(name, None)
    stack = Stack(f"http://127.0.0.1:{port}", database_url, mailbox, instance, env)
    processes: list[subprocess.Popen] = []
    try:
        stack.flask("db", "upgrade")
        prepare(stack)
        web_log = logs / "gunicorn.log"
        processes.append(
            _start(
                [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind",
                 f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
                env, web_log,
            )
        )  # fmt: skip
        processes.append(
            _start(
                [sys.executable, "-m", "flask", "--app", "wsgi", "consult",
                 "scheduler"],
                env, logs / "scheduler.log",
            )
        )  # fmt: skip
        _wait_until_serving(stack.base_url, processes[0], web_log)
        yield stack
        for process, name in zip(processes, ("gunicorn", "scheduler"), strict=True):
            assert process.poll() is None, f"{name} stopped during the journeys"
    finally:
        for process in reversed(processes):
            _stop(process)
        smtp.stop()


@pytest.fixture(scope="session")
def stack(e2e_database, tmp_path_factory) -> Iterator[Stack]:
    """The product with the demo consultation (`consult seed-demo`)."""
    with running_stack(
        e2e_database, tmp_path_factory, lambda s: s.flask("consult", "seed-demo")
    ) as running:
        yield running


@pytest.fixture(scope="session")
def empty_stack(empty_e2e_database, tmp_path_factory) -> Iterator[Stack]:
    """The product on an empty database with one organiser, made by the CLI."""
    email, password = NEW_ORGANISER

    def create_organiser(stack: Stack) -> None:
        stack.flask(
            "consult", "create-organiser", email, "--name", "Ines Weber",
            typed=f"{password}\n{password}\n",
        )  # fmt: skip

    with running_stack(empty_e2e_database, tmp_path_factory, create_organiser) as s:
        yield s


# --- Browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(playwright_driver):
    require_browser()
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser_contexts(browser):
    """open(base_url, **options) -> a fresh browser context (own cookies), closed
    after.

    Every context fails the test on a server error (5xx) or a script or style
    the Content Security Policy blocked.
    """
    contexts = []
    problems: list[str] = []

    def on_response(response) -> None:
        if response.status >= 500:
            problems.append(f"{response.status} from {response.url}")

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation on {message.location}: {message.text}")

    def _new(base_url: str, **options):
        context = browser.new_context(
            base_url=base_url,
            viewport=options.pop("viewport", {"width": 1280, "height": 900}),
            accept_downloads=True,
            timezone_id=options.pop("timezone_id", "Europe/Amsterdam"),
            **options,
        )
        context.set_default_timeout(WAIT_MS)
        context.on("response", on_response)
        context.on("console", on_console)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def new_context(browser_contexts, stack):
    """new_context(**options) -> a fresh context on the demo stack."""
    return lambda **options: browser_contexts(stack.base_url, **options)


@pytest.fixture
def empty_new_context(browser_contexts, empty_stack):
    """empty_new_context(**options) -> a fresh context on the empty stack."""
    return lambda **options: browser_contexts(empty_stack.base_url, **options)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


class Screenshots:
    """shoot(page, step): test-artifacts/screenshots/<journey>/<nn>-<step>.png."""

    def __init__(self, journey: str) -> None:
        self.folder = SCREENSHOTS / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        # A page wider than the window is a broken layout (sideways scrolling).
        wide, window = page.evaluate(
            "() => [document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert wide <= window, f"{path.name}: {wide}px wide in a {window}px window"
        return path


@pytest.fixture
def screenshots() -> Callable[[str], Screenshots]:
    return Screenshots


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        reason = f"axe-core not found at {AXE_JS} (run `npm ci`)"
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the accessibility checks")
        pytest.skip(reason)
    return AXE_JS.read_text()


@pytest.fixture
def audit(axe_source):
    """audit(page, path) -> the serious and critical axe findings on that page;
    path None: the page as it is now (a form sent back with its errors)."""

    def _audit(page, path: str | None) -> list[str]:
        if path is None:
            path = page.url
        else:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response.status}"
        page.add_script_tag(content=axe_source)
        results = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
        )
        findings = []
        for violation in results["violations"]:
            if violation["impact"] not in AXE_BLOCKING:
                continue
            nodes = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            findings.append(
                f"{path}: [{violation['impact']}] {violation['id']} — "
                f"{violation['help']} ({len(nodes)}×: {'; '.join(nodes[:4])})"
            )
        return findings

    return _audit


def assert_accessible(findings: list[str]) -> None:
    assert not findings, "axe found serious or critical problems:\n" + "\n".join(
        findings
    )


def login_as(page, email: str, password: str) -> None:
    """Log in through the form; waits until the login page is left."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


@pytest.fixture
def organiser_page(new_context):
    """A page logged in as the demo organiser."""
    page = new_context().new_page()
    login_as(page, *ORGANISER)
    return page
