"""No number a client sends makes a 500: every URL argument of the URL map and
every query parameter the app reads, with out-of-range and malformed values.

An id of 2^31 reached PostgreSQL ("integer out of range") and one of 2^63
SQLite's driver (OverflowError) before any 404; "²" passed `str.isdigit()`
and failed `int()`. The values below are sent for each argument of each rule
(the others filled from the fixture world) and, on GET routes, as every query
parameter at once, anonymously and as the user entitled to the route (event
A's organiser, the admin). Nothing may answer 5xx; an integer argument out of
the columns' range matches no rule (404); nothing may change.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from werkzeug.routing.converters import AnyConverter, IntegerConverter
from wtforms.fields.core import UnboundField

import consult
from consult.extensions import db
from consult.library.forms import SearchForm
from consult.numbers import INT_MAX
from consult.registration.forms_manage import FilterForm
from tests.security.conftest import changed_tables, client_for, table_fingerprints
from tests.security.policy import actor_for
from tests.security.test_csrf_and_safe_methods import GET_WRITES
from tests.security.urls import IGNORED_METHODS, app_rules, targets_for

# A minute or two per database: every rule, many values, two or three users.
pytestmark = pytest.mark.slow

# Beyond an INTEGER column, beyond SQLite's 64 bits, longer than int() takes.
OUT_OF_RANGE = [str(INT_MAX + 1), str(2**63), str(2**64), "9" * 5000]
# Negative, zero, no number, digits int() refuses ("²") or takes though no id
# is written so ("١٢", "1_0", " 7"), a float, empty.
MALFORMED = ["-1", "0", "x", "²", "١٢", "1_0", "1e3", " 7", "-2147483649", ""]
VALUES = OUT_OF_RANGE + MALFORMED
# For text arguments (slugs, tokens) the view runs each time: the values a
# view could take for a number.
# A NUL character too: PostgreSQL cannot even compare text holding one.
TEXT_VALUES = [*OUT_OF_RANGE, "-1", "0", "²", "١٢", "a\x00b"]
# In query strings, one value of each kind (each is a full page render).
QUERY_VALUES = [*OUT_OF_RANGE, "-1", "0", "x", "²", "١٢", "\x00"]
# Pages that read no query parameter and take seconds to render.
QUERY_SKIPPED = {
    "dashboard.report_pdf": "the PDF of dashboard.report, which is fuzzed",
}


def _fields(form_class) -> set[str]:
    return {
        name
        for name in dir(form_class)
        if isinstance(getattr(form_class, name, None), UnboundField)
    }


# Every query parameter the app reads; the last test keeps the list complete.
QUERY_FORMS = (FilterForm, SearchForm)  # GET forms filled from request.args
QUERY_PARAMS = sorted(
    {"page", "challenge", "type", "status", "sort", "q", "kind", "state"}
    | {"sessions", "expert", "next", "language", "back", "version", "input"}
    | set().union(*(_fields(form) for form in QUERY_FORMS))
)
_READS = re.compile(
    r"""(?:request\.args\.get\(|request\.args\[|args\.get\(|query_int\()"""
    r"""\s*["'](\w+)["']"""
)


def _url(rule, values: dict) -> str:
    """The rule's path with each argument replaced by its (quoted) value."""

    def value(match):
        return quote(str(values[match.group(1)]), safe="")

    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", value, rule.rule)


def _clients(app, world, rule) -> dict:
    actor = actor_for(rule, world)
    who = {"anonymous": None, "owner": world.a.owner_id}
    if actor not in who.values():
        who["entitled"] = actor
    return {name: client_for(app, user_id) for name, user_id in who.items()}


def _answer(client, method, url):
    """The status, or 500 where the test app lets the exception through."""
    try:
        response = client.open(url, method=method)
    except Exception:  # noqa: BLE001 - any exception is the failure we look for
        db.session.rollback()  # a failed statement must not fail the next ones
        return 500
    response.close()
    return response.status_code


def test_out_of_range_and_malformed_url_arguments_never_fail(world_app, world):
    before = table_fingerprints()
    failures, not_404, sent = [], [], 0
    for rule in app_rules(world_app):
        fuzzed = [
            arg
            for arg in rule.arguments
            if not isinstance(rule._converters.get(arg), AnyConverter)
        ]
        if not fuzzed:
            continue
        clients = _clients(world_app, world, rule)
        methods = sorted(rule.methods - IGNORED_METHODS)
        for target in targets_for(rule, world.a):
            for arg in fuzzed:
                is_int = isinstance(rule._converters[arg], IntegerConverter)
                for bad in VALUES if is_int else TEXT_VALUES:
                    if bad == "":
                        continue  # an empty segment is another path
                    url = _url(rule, {**target.values, arg: bad})
                    for name, client in clients.items():
                        for method in methods:
                            status = _answer(client, method, url)
                            sent += 1
                            if status >= 500:
                                failures.append(f"{method} {url[:120]} as {name}")
                            elif is_int and bad in OUT_OF_RANGE and status != 404:
                                not_404.append(f"{method} {url[:120]}: {status}")
    assert sent > 1000
    assert not failures, f"{len(failures)} answered 5xx:\n" + "\n".join(failures)
    assert not not_404, "out-of-range ids matched a rule:\n" + "\n".join(not_404)
    assert changed_tables(before, table_fingerprints()) == []


def test_out_of_range_and_malformed_query_values_never_fail(world_app, world):
    before = table_fingerprints()
    failures, sent = [], 0
    for rule in app_rules(world_app):
        if "GET" not in rule.methods or rule.endpoint in QUERY_SKIPPED:
            continue
        clients = _clients(world_app, world, rule)
        for target in targets_for(rule, world.a):
            for bad in QUERY_VALUES:
                query = urlencode({param: bad for param in QUERY_PARAMS})
                url = f"{target.url}?{query}"
                for name, client in clients.items():
                    sent += 1
                    if _answer(client, "GET", url) >= 500:
                        failures.append(f"GET {target.url}?…={bad[:20]!r} as {name}")
    assert sent > 1000
    assert not failures, f"{len(failures)} answered 5xx:\n" + "\n".join(failures)
    allowed = set().union(*GET_WRITES.values())
    assert set(changed_tables(before, table_fingerprints())) <= allowed


def test_the_fuzzed_query_parameters_are_all_the_app_reads():
    """A new `request.args` read must join QUERY_PARAMS (or a QUERY_FORMS form)."""
    read = set()
    for path in Path(consult.__file__).parent.rglob("*.py"):
        read |= set(_READS.findall(path.read_text(encoding="utf-8")))
    assert read, "the pattern no longer finds the app's query reads"
    assert read <= set(QUERY_PARAMS), sorted(read - set(QUERY_PARAMS))
