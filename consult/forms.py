"""Form glue shared by every area: a service's refusal shown next to its field."""

from __future__ import annotations

from wtforms import FieldList, FormField

from consult.errors import DomainError


def _walk(fields):
    for field in fields:
        if isinstance(field, FieldList):
            yield from _walk(field.entries)
        elif isinstance(field, FormField):
            yield from _walk(field.form)
        else:
            yield field


def show_error(form, exc: DomainError) -> None:
    """Put a service's message next to the field it names, else above the form."""
    target = next((f for f in _walk(form) if f.name == exc.field), None)
    if target is not None and exc.field:
        target.errors = [*target.errors, exc.message]
    else:
        form.form_errors.append(exc.message)
