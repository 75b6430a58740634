"""The layering rules of docs/architecture.md, checked on the source with `ast`.

Every module of consult/ is parsed (nothing is imported), its imports are
collected at module level and inside functions, and each rule is a test:

- an area's services, models and other non-web modules never import routes or
  forms (of any area) nor the web helpers, and never the request-bound parts of
  Flask (``request``, ``session``, ``flash``, ``g``) or WTForms;
- models never import services;
- only routes (and their web helpers), jobs, the CLI and the demo commit
  (``db.session.commit()`` or ``commit_keeping_loaded``); tests/test_commit_guard.py
  checks the other half, that a route which wrote does commit;
- the web process never runs jobs: only the CLI imports the scheduler's runner
  (the module that starts APScheduler), inside its commands, and only the
  scheduler imports an area's jobs module;
- signed tokens are made and read in consult/signing.py only;
- the shared top-level modules import no area (the app factory, CLI, scheduler,
  demo and the models registry excepted);
- areas depend on each other's services without cycles, counting module-level
  imports (importing another area's *models* reads the shared schema and may
  go either way); no cycle of module-level imports between any modules;
- the same area rule counting imports inside service functions: a cycle an
  inline import hides is listed in HIDDEN_CYCLES.

ruff (pyproject.toml, flake8-tidy-imports) bans the Flask request, WTForms and
itsdangerous everywhere except the files allowed to use them; this test covers
what a per-file ban cannot see (which area and layer a module belongs to,
imports inside functions, cycles).

KNOWN_VIOLATIONS lists what the current code breaks, each entry with the change
that removes it. An entry that no longer occurs fails the test, so the set only
shrinks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "consult"

# Flask names that only mean something inside a request: a service that reads
# them cannot run from a job or the CLI.
REQUEST_BOUND = {"request", "session", "flash", "g"}

# Calls that end a transaction. `commit_keeping_loaded` (consult/database.py) is
# the routes' commit that keeps the written objects loaded for the page.
COMMIT_CALLS = {"commit", "commit_keeping_loaded"}

# Shared modules that serve routes only: they read the request, flash, answer
# with a response or commit a view's write.
WEB_HELPERS = {
    "consult.attempts",  # runs a service call from a route, flashes its refusal
    "consult.i18n",  # the language of a request, the switcher's route
    "consult.page_cache",  # whole-page cache keyed on the request
    "consult.security",  # response headers
    "consult.downloads",  # the download views' decorator and log-and-commit
}

# Modules that run as scheduled jobs but are not named `jobs`: they commit per
# batch, so one failure does not undo the others' work.
JOB_BODIES = {
    "consult.notifications.delivery",
    "consult.notifications.claims",  # the dispatcher's composing step
    "consult.notifications.reminders.engine",
}

# Top-level modules allowed to import areas: they assemble the whole app.
ASSEMBLERS = {"consult", "consult.cli", "consult.scheduler", "consult.models"}

# (rule, module, what) the current code breaks; see the module docstring.
KNOWN_VIOLATIONS: set[tuple[str, str, str]] = {
    # The reminders engine composes registrants' messages (their manage link),
    # so it depends on registration while the outbox beside it is what
    # registration sends through: reminders belong in an area above both.
    # Left for the change that moves message composition into the sender
    # (issue 18), which rewrites these modules anyway.
    (
        "area-cycle",
        "auth",
        "auth -> notifications -> registration -> auth",
    ),
    (
        "area-cycle",
        "auth",
        "auth -> notifications -> registration -> events -> auth",
    ),
    (
        "area-cycle",
        "calendar",
        "calendar -> notifications -> registration -> calendar",
    ),
    (
        "area-cycle",
        "notifications",
        "notifications -> registration -> notifications",
    ),
}


# ("hidden-cycle", area, "area -> area it imports inside a function"): an
# upward dependency an inline import keeps out of the module-level rule.
# Each comment says what causes it and what would remove it.
HIDDEN_CYCLES: set[tuple[str, str, str]] = {
    # Creating an event seeds its stakeholder types and reminder plan, and a
    # clone those parts it did not copy (events.services.setup; what a clone
    # copies is registered by each area in consult/clone_parts.py, no cycle),
    # and an edit of the capacity takes the seat
    # lock and promotes the waiting list (events.services.events). Would move
    # to registration- and notifications-level hooks called after an event is
    # created or its capacity changes.
    ("hidden-cycle", "events", "events -> notifications"),
    ("hidden-cycle", "events", "events -> registration"),
    # The reminders engine's follow-ups carry the survey link, while surveys
    # queue their invitations in the outbox. Removed with the known area-cycle
    # above: message composition moving into the sender (issue 18).
    ("hidden-cycle", "notifications", "notifications -> surveys"),
    # A registrant's data export and erasure include their contributions and
    # survey answers. Would move to a privacy module above registration,
    # challenges and surveys that assembles each area's part.
    ("hidden-cycle", "registration", "registration -> challenges"),
    ("hidden-cycle", "registration", "registration -> surveys"),
}
KNOWN_VIOLATIONS |= HIDDEN_CYCLES


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    # (imported module, imported name or "", line, at module level?)
    imports: list[tuple[str, str, int, bool]] = field(default_factory=list)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        found[name] = Module(name, path, ast.parse(path.read_text(), str(path)))
    for module in found.values():
        _collect_imports(module, set(found))
    return found


def _collect_imports(module: Module, known: set[str]) -> None:
    is_package = module.path.name == "__init__.py"

    def resolve(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = module.name.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    module.imports.append((alias.name, "", child.lineno, top))
            elif isinstance(child, ast.ImportFrom):
                source = resolve(child)
                for alias in child.names:
                    # `from consult.x import routes` imports a module.
                    target = f"{source}.{alias.name}"
                    if target in known:
                        module.imports.append((target, "", child.lineno, top))
                    else:
                        module.imports.append((source, alias.name, child.lineno, top))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                continue  # never runs: no runtime dependency
            else:
                visit(child, top)

    visit(module.tree, True)


def area(name: str) -> str:
    """The area a module belongs to: `consult.events.services.x` -> `events`;
    a shared top-level module (consult/text.py) belongs to `consult`."""
    return name.split(".")[1] if _in_area_package(name) else "consult"


def _in_area_package(name: str) -> bool:
    parts = name.split(".")
    return len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir())


def layer(name: str) -> str:
    """routes, forms, jobs, tools (CLI, demo), models, services or app.

    Anything in an area that is none of the others (emails, calendar files,
    parsers, queries) is a service: it runs under routes and jobs alike.
    """
    parts = name.split(".")
    last = parts[-1]
    if name in WEB_HELPERS or "routes" in parts[2:] or last in {"routes", "web"}:
        return "routes"
    if last == "forms" or last.startswith("forms_") or last == "zone_field":
        return "forms"
    if last == "jobs" or parts[1:2] == ["scheduler"]:
        return "jobs"
    if "demo" in parts[1:] or last == "cli":
        return "tools"
    if last == "models" and name != "consult.models":
        return "models"
    if name == "consult":
        return "app"
    return "services"


def _is_services(name: str) -> bool:
    return "services" in name.split(".")[2:]


def _check(rule: str, found: list[tuple[str, str, str]]) -> None:
    """Fail on (module, what, message) not in KNOWN_VIOLATIONS, and on known
    entries that no longer occur."""
    current = {(rule, module, what): message for module, what, message in found}
    known = {entry for entry in KNOWN_VIOLATIONS if entry[0] == rule}
    problems = [
        f"{module}: {message}"
        for (_rule, module, _what), message in sorted(current.items())
        if (_rule, module, _what) not in known
    ]
    problems += [
        f"KNOWN_VIOLATIONS entry no longer occurs, remove it: {entry}"
        for entry in sorted(known - set(current))
    ]
    assert not problems, "\n".join(problems)


def _consult(target: str) -> bool:
    return target == "consult" or target.startswith("consult.")


def _lower_modules():
    """An area's modules that must run outside a request: services, models."""
    for module in modules().values():
        if _in_area_package(module.name) and layer(module.name) in {
            "services",
            "models",
        }:
            yield module


def test_services_and_models_never_import_routes_or_forms():
    found = []
    for module in _lower_modules():
        for target, _name, line, _top in module.imports:
            if _consult(target) and layer(target) in {"routes", "forms"}:
                found.append((module.name, target, f"imports {target} (line {line})"))
    _check("no-routes-or-forms", found)


def test_services_and_models_never_touch_the_request():
    found = []
    for module in _lower_modules():
        for target, name, line, _top in module.imports:
            if target == "flask" and name in REQUEST_BOUND:
                what = f"flask.{name}"
            elif target.split(".")[0] in {"flask_wtf", "wtforms"}:
                what = target
            else:
                continue
            found.append((module.name, what, f"imports {what} (line {line})"))
    _check("no-request", found)


def test_models_never_import_services():
    found = []
    for module in modules().values():
        if layer(module.name) != "models":
            continue
        for target, _name, line, _top in module.imports:
            if _is_services(target):
                found.append((module.name, target, f"imports {target} (line {line})"))
    _check("models-no-services", found)


def _commits(tree: ast.Module):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "commit":
            owner = func.value
            owner_name = (
                owner.attr
                if isinstance(owner, ast.Attribute)
                else getattr(owner, "id", "")
            )
            if owner_name == "session":
                yield node.lineno
        elif isinstance(func, ast.Name) and func.id in COMMIT_CALLS:
            yield node.lineno


def test_only_routes_jobs_cli_and_demo_commit():
    found = []
    for module in modules().values():
        if layer(module.name) in {"routes", "jobs", "tools", "app"}:
            continue
        if module.name == "consult.database" or module.name in JOB_BODIES:
            continue  # defines commit_keeping_loaded; jobs in all but name
        for line in _commits(module.tree):
            found.append((module.name, "commit", f"commits (line {line})"))
    _check("commit", found)


def _runs_jobs(module: Module) -> bool:
    """The scheduler's runner: the module that starts APScheduler."""
    return any(target.startswith("apscheduler") for target, *_ in module.imports)


def test_the_web_process_never_runs_jobs():
    """The web app imports the CLI (to register its commands), and the CLI
    imports the scheduler's runner only when a command runs; an area's jobs
    are imported by the scheduler alone. So no web worker can start a job."""
    known = modules()
    runners = {name for name, module in known.items() if _runs_jobs(module)}
    assert runners, "no module starts APScheduler: update this test"
    found = []
    for module in known.values():
        for target, _name, line, top in module.imports:
            if target in runners and module.name not in runners:
                if module.name == "consult.cli" and not top:
                    continue
                found.append((module.name, target, f"imports {target} (line {line})"))
            elif target.split(".")[-1] == "jobs" and _consult(target):
                if layer(module.name) == "jobs":
                    continue
                found.append((module.name, target, f"imports {target} (line {line})"))
    _check("scheduler", found)


def test_only_signing_signs():
    found = []
    for module in modules().values():
        if module.name == "consult.signing":
            continue
        for target, _name, line, _top in module.imports:
            if target.split(".")[0] == "itsdangerous":
                found.append(
                    (module.name, "itsdangerous", f"imports {target} (line {line})")
                )
    _check("signing", found)


def test_shared_modules_import_no_area():
    found = []
    for module in modules().values():
        if _in_area_package(module.name) or module.name in ASSEMBLERS:
            continue
        if layer(module.name) == "tools":
            continue
        for target, _name, line, _top in module.imports:
            if _consult(target) and _in_area_package(target):
                found.append((module.name, target, f"imports {target} (line {line})"))
    _check("shared", found)


def _area_graph(inline: bool = False) -> dict[str, dict[str, tuple[str, str]]]:
    """area -> {area whose services it imports at module level: (importer,
    imported)}; routes, forms and tools sit on top and are left out.

    ``inline``: count the imports inside a function of an area's services too
    (an edge found only that way names the inline import)."""
    graph: dict[str, dict[str, tuple[str, str]]] = {}
    top_layers = {"routes", "forms", "jobs", "tools"}
    for pass_top in (True, False) if inline else (True,):
        for module in modules().values():
            if not _in_area_package(module.name) or layer(module.name) in top_layers:
                continue
            if not pass_top and layer(module.name) != "services":
                continue
            here = area(module.name)
            for target, _name, _line, top in module.imports:
                if top != pass_top or not _consult(target):
                    continue
                if not _in_area_package(target):
                    continue
                if layer(target) in top_layers | {"models"}:
                    continue
                there = area(target)
                if there != here:
                    graph.setdefault(here, {}).setdefault(there, (module.name, target))
    return graph


def _cycles(graph: dict[str, dict]) -> list[list[str]]:
    """Each elementary cycle once, starting at its smallest node."""
    cycles: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, {})):
            if nxt == start:
                cycles.add(tuple(path))
            elif nxt > start and nxt not in path:
                walk(start, nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, start, [start])
    return [list(cycle) for cycle in sorted(cycles)]


def _cycle_report(graph, cycle: list[str]) -> tuple[str, str, str]:
    steps = []
    for here, there in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        importer, imported = graph[here][there]
        steps.append(f"{importer} imports {imported}")
    path = " -> ".join([*cycle, cycle[0]])
    return (cycle[0], path, f"{path}: " + "; ".join(steps))


def test_no_import_cycles_between_areas():
    graph = _area_graph()
    _check("area-cycle", [_cycle_report(graph, cycle) for cycle in _cycles(graph)])


def _path_back(graph, start: str, goal: str) -> list[str] | None:
    """The shortest chain of areas from start to goal, or None."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                if nxt == goal:
                    return paths[nxt]
                queue.append(nxt)
    return None


def test_no_cycles_hidden_by_inline_imports():
    """The area rule counting imports inside an area's service functions too:
    an inline import only moves a cycle's failure from start-up to the first
    call. One report per area dependency that exists only through inline
    imports and closes a cycle, with the way back."""
    module_level = _area_graph()
    graph = _area_graph(inline=True)
    found = []
    for here, theres in sorted(graph.items()):
        for there, (importer, imported) in sorted(theres.items()):
            if there in module_level.get(here, {}):
                continue
            back = _path_back(graph, there, here)
            if back is None:
                continue
            what = f"{here} -> {there}"
            path = " -> ".join([here, *back])
            found.append((here, what, f"{importer} imports {imported} inline; {path}"))
    _check("hidden-cycle", found)


def _module_graph() -> dict[str, set[str]]:
    """module -> modules it runs at import time: its module-level imports and
    their parent packages (importing a.b.c runs a and a.b first), but not its
    own packages (already running)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for module in known.values():
        for target, _name, _line, top in module.imports:
            if not top:
                continue
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                step = ".".join(parts[:end])
                own = (module.name + ".").startswith(step + ".")
                if step in known and not own:
                    graph[module.name].add(step)
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in graph[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _shortest_cycle(graph: dict[str, set[str]], start: str) -> list[str]:
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt == start:
                return paths[node]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"{start} is on no cycle")


def test_no_import_cycles_between_modules():
    """One report per group of modules that import each other in a circle,
    named by its first module; such a group loads only in a lucky order."""
    graph = _module_graph()
    reach = {name: _reachable(graph, name) for name in graph}
    found = []
    grouped: set[str] = set()
    for name in sorted(graph):
        if name in grouped or name not in reach[name]:
            continue
        group = {other for other in reach[name] if name in reach[other]}
        grouped |= group
        cycle = _shortest_cycle(graph, name)
        path = " -> ".join([*cycle, cycle[0]])
        found.append((name, f"{len(group)} modules", f"{path} ({len(group)} modules)"))
    _check("module-cycle", found)


def test_the_walk_sees_every_area():
    """Guards the test itself: a path change must not make it check nothing."""
    areas = {area(name) for name in modules()}
    assert {"auth", "events", "registration", "notifications", "surveys"} <= areas
    assert layer("consult.events.routes.public") == "routes"
    assert layer("consult.registration.forms_manage") == "forms"
    assert layer("consult.registration.services.seats") == "services"
    assert layer("consult.events.models") == "models"
    assert sum(len(m.imports) for m in modules().values()) > 1000
