"""Glue shared by the organiser registration pages: filters, country names."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from consult.extensions import db
from consult.registration.countries import country_name
from consult.registration.forms_manage import FilterForm
from consult.registration.services.organiser_queries import registrant_countries
from consult.registration.services.seats import stakeholder_types

LIST_ARGS = ("type", "status", "country", "attendance", "q", "sort", "page")
# A bulk action's refusals name this many people per reason, then count.
NAMES_SHOWN = 5


def event_types(event):
    """The event's stakeholder types (made with the event), in display order."""
    return stakeholder_types(event)


def country_choices(event) -> list[tuple[str, str]]:
    """(code, name) of the countries among the event's registrants."""
    return [(code, country_name(code)) for code in registrant_countries(event)]


def filter_form(event, types) -> FilterForm:
    """The list filters as sent in the query string."""
    return FilterForm(types, country_choices(event), formdata=request.args)


def list_args() -> dict:
    """The list's filters and page from the current URL, to come back to them."""
    return {key: request.args[key] for key in LIST_ARGS if request.args.get(key)}


def back_to_list(event):
    return redirect(url_for("registration.manage_list", slug=event.slug, **list_args()))


def require_valid(form):
    """A POST button's form, or 400 (a missing or stale CSRF token)."""
    if not form.validate_on_submit():
        abort(400)
    return form


def report_outcome(outcome, success: str | None) -> None:
    """Commit a decision and say what happened, including who was left out
    (one message per reason, naming the first few people)."""
    if not outcome:
        return
    db.session.commit()
    result = outcome.value
    if result.done:
        flash(
            success
            or ngettext(
                "%(num)d person updated.", "%(num)d people updated.", len(result.done)
            ),
            "success",
        )
    report_skipped(result.skipped)


def report_skipped(skipped) -> None:
    """One warning per reason, naming the first few people it concerns."""
    by_reason: dict[str, list[str]] = {}
    for registration, reason in skipped:
        by_reason.setdefault(reason, []).append(registration.full_name)
    for reason, names in by_reason.items():
        flash(f"{some_names(names)}: {reason}", "warning")


def some_names(names: list[str], shown: int = NAMES_SHOWN) -> str:
    """The first few names, then how many others."""
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    return ngettext(
        "%(names)s and %(num)d other",
        "%(names)s and %(num)d others",
        rest,
        names=", ".join(names[:shown]),
    )


def confirmation_page(event, plan, form, *, ids=(), registration=None):
    """The page that says what a decision does (decision_plans.DecisionPlan);
    its Confirm button does it: one person's (``registration``) or the bulk
    form's (``ids``)."""
    return render_template(
        "registration/manage/confirm_decision.html",
        event=event,
        plan=plan,
        form=form,
        ids=ids,
        registration=registration,
        names=some_names([r.full_name for r in plan.acting_on], shown=20),
        back=list_args(),
    )
