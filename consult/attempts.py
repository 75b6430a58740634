"""Running one service call from a route: a refusal is an exception, never a value.

Services raise a DomainError to refuse and return whatever suits them (a row, a
report, or None) when they succeed. A route therefore must not read the return
value as the success flag: `hide_input` returns None, and a route written as
`if attempt(...): commit` never committed a hidden input. `attempt` and
`attempt_action` answer with an `Outcome`, true exactly when the call raised no
domain error, carrying the service's return value in `.value`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Generic, TypeVar

from flask import flash

from consult.errors import DomainError
from consult.extensions import db
from consult.forms import show_error

T = TypeVar("T")

# Refusals that are not about the input: the app's error pages answer them.
PASS_THROUGH = (403, 404)


class Outcome(Generic[T]):
    """What became of a service call: done (true) or refused (false, with why)."""

    __slots__ = ("error", "pending", "value")

    def __init__(
        self,
        value: T | None = None,
        error: DomainError | None = None,
        *,
        pending: bool = False,
    ):
        self.value = value
        self.error = error
        # Not tried: the form was not submitted, or its own checks failed
        # (``error`` then holds the service checks' refusal, if any).
        self.pending = pending

    @property
    def ok(self) -> bool:
        return self.error is None and not self.pending

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        if self.ok:
            return f"Outcome(ok, value={self.value!r})"
        if self.error is None:
            return "Outcome(not tried)"
        return f"Outcome(refused: {self.error.message!r})"


def _run(
    call: Callable[[], T],
    tell: Callable[[DomainError], None],
    passthrough: Collection[int],
) -> Outcome[T]:
    try:
        value = call()
    except DomainError as exc:
        # Whatever the call flushed before refusing must not reach a commit.
        db.session.rollback()
        if exc.status_code in passthrough:
            raise
        tell(exc)
        return Outcome(error=exc)
    return Outcome(value=value)


def attempt(
    form, call: Callable[[], T], *, passthrough: Collection[int] = PASS_THROUGH
) -> Outcome[T]:
    """Run a service for a submitted form; a refusal goes next to its field."""
    return _run(call, lambda exc: show_error(form, exc), passthrough)


def attempt_action(
    call: Callable[[], T], *, passthrough: Collection[int] = PASS_THROUGH
) -> Outcome[T]:
    """Run a service for a button (no fields to mark); a refusal is flashed."""
    return _run(call, lambda exc: flash(exc.message, "error"), passthrough)


def submit(
    form,
    call: Callable[[], T],
    *,
    check: Callable[[], object] | None = None,
    names: dict[str, str] | None = None,
    passthrough: Collection[int] = PASS_THROUGH,
) -> Outcome[T]:
    """Validate a submitted form and run its service, reporting every problem
    of one submit together.

    The form's own checks and the service's rules run in the same pass: when
    the form refuses something, ``check`` (the service's checks of the input,
    which write nothing) still runs on what could be read, and its messages
    join the form's, beside the fields the form left unmarked. When the form
    passes, the service runs and refuses with all its problems at once
    (``consult.errors.Problems``). Not submitted: an Outcome that is false
    without an error; the form refused: false, with the check's refusal if
    it had one (a page may show more of it than the fields can). ``names``:
    the form's name for a field the service calls otherwise (show_error).
    """
    if not form.is_submitted():
        return Outcome(pending=True)
    if not form.validate():
        checked = Outcome(pending=True)
        if check is not None:
            checked = _run(
                check,
                lambda exc: show_error(form, exc, beside_checked=True, names=names),
                passthrough,
            )
        return Outcome(pending=True, error=checked.error)
    return _run(call, lambda exc: show_error(form, exc, names=names), passthrough)


def rehearse(call: Callable[[], object]) -> None:
    """Run a service that writes as it checks, in a savepoint undone whatever
    happens: its refusal (every problem it collects) without its writes. For
    ``submit``'s ``check`` when a service has no check of its own."""
    savepoint = db.session.begin_nested()
    try:
        call()
    finally:
        savepoint.rollback()
