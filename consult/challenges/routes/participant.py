"""Authors' pages: their inputs, new and edited inputs, priorities, the expert's page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.attempts import attempt, submit
from consult.challenges import bp
from consult.challenges.forms import ExpertProfileForm, InputForm, PriorityForm
from consult.challenges.labels import (
    BUDGET_LABELS,
    KIND_HELP,
    KIND_LABELS,
    METHOD_LABELS,
    STATE_LABELS,
)
from consult.challenges.routes.helpers import (
    author_event,
    author_or_404,
    input_rate_limit,
)
from consult.challenges.services import (
    POINTS_TOTAL,
    InputData,
    accept_invitation,
    author_inputs,
    ballot_of,
    check_input,
    event_challenges,
    own_input,
    save_priorities,
    settings_for,
    submit_input,
    update_input,
    window_open,
)
from consult.errors import NotFound
from consult.extensions import db, limiter
from consult.languages import recipient_locale
from consult.numbers import query_int
from consult.timeutil import now_utc

AUTHOR = "/events/<slug>/<any(registration, expert):who>/<token>"


def _attempt(form, call, check=None):
    """Validate the form and run the service (``check``: the service's checks,
    run beside the form's own); a refusal (a closed window too) is shown on
    the form."""
    # Only "no such thing" becomes an error page: authors should read why not.
    return submit(form, call, check=check, passthrough=(404,))


def _page(template: str, author, who, token, status=200, **context):
    event = author_event(author)
    page = render_template(
        template,
        event=event,
        author=author,
        viewer_zone=author.zone(event),
        who=who,
        token=token,
        settings=settings_for(event),
        is_open=window_open(event, now_utc()),
        kind_labels=KIND_LABELS,
        kind_help=KIND_HELP,
        state_labels=STATE_LABELS,
        budget_labels=BUDGET_LABELS,
        **context,
    )
    return page, status


@bp.get(f"{AUTHOR}/inputs")
def my_inputs(slug: str, who: str, token: str):
    author = author_or_404(slug, who, token)
    return _page(
        "challenges/my_inputs.html", author, who, token, inputs=author_inputs(author)
    )


def _input_form_page(author, who, token, form, item=None):
    status = 422 if form.is_submitted() else 200
    return _page(
        "challenges/input_form.html", author, who, token, status, form=form, item=item
    )


@bp.route(f"{AUTHOR}/inputs/new", methods=["GET", "POST"])
@limiter.limit(input_rate_limit, methods=["POST"])
def new_input(slug: str, who: str, token: str):
    author = author_or_404(slug, who, token)
    event = author_event(author)
    form = InputForm(event_challenges(event))
    if request.method == "GET" and query_int("challenge") is not None:
        form.challenge_id.data = query_int("challenge")
    if not _attempt(
        form,
        lambda: submit_input(event, author, form.to_data(), now=now_utc()),
        check=lambda: check_input(event, form.to_data()),
    ):
        return _input_form_page(author, who, token, form)
    db.session.commit()
    flash(_("Thank you: your input is saved and awaits moderation."), "success")
    return redirect(url_for(".my_inputs", slug=slug, who=who, token=token))


@bp.route(f"{AUTHOR}/inputs/<int:input_id>/edit", methods=["GET", "POST"])
@limiter.limit(input_rate_limit, methods=["POST"])
def edit_input(slug: str, who: str, token: str, input_id: int):
    author = author_or_404(slug, who, token)
    try:
        item = own_input(author, input_id)
    except NotFound:
        abort(404)
    challenges = event_challenges(author_event(author))
    if request.method == "GET":
        form = InputForm(
            challenges, obj=InputData.from_input(item), current=item.challenge
        )
    else:
        form = InputForm(challenges, current=item.challenge)
    if not _attempt(
        form,
        lambda: update_input(item, author, form.to_data(), now=now_utc()),
        check=lambda: check_input(
            item.event, form.to_data(), kept_challenge=item.challenge_id
        ),
    ):
        return _input_form_page(author, who, token, form, item)
    db.session.commit()
    flash(_("Your changes are saved and await moderation."), "success")
    return redirect(url_for(".my_inputs", slug=slug, who=who, token=token))


@bp.route("/events/<slug>/registration/<token>/priorities", methods=["GET", "POST"])
def priorities(slug: str, token: str):
    author = author_or_404(slug, "registration", token)
    registration = author.registration
    event = registration.event
    challenges = event_challenges(event)
    form = PriorityForm()
    values = ballot_of(registration)
    if form.validate_on_submit():
        values = form.values(request.form, challenges)
        saved = attempt(
            form,
            lambda: save_priorities(registration, values, now=now_utc()),
            passthrough=(404,),
        )
        if saved:
            db.session.commit()
            flash(_("Your priorities are saved."), "success")
            return redirect(url_for(".priorities", slug=slug, token=token))
    return _page(
        "challenges/priorities.html",
        author,
        "registration",
        token,
        422 if form.is_submitted() else 200,
        form=form,
        challenges=challenges,
        values=values,
        has_ballot=bool(ballot_of(registration)),
        points_total=POINTS_TOTAL,
        method_labels=METHOD_LABELS,
    )


@bp.route("/events/<slug>/expert/<token>", methods=["GET", "POST"])
def expert_home(slug: str, token: str):
    author = author_or_404(slug, "expert", token)
    expert = author.expert
    form = ExpertProfileForm(obj=expert if request.method == "GET" else None)
    form.timezone.first = (author_event(author).timezone,)
    form.language.prefill(recipient_locale(expert))
    if _attempt(
        form, lambda: accept_invitation(expert, form.to_profile(), now=now_utc())
    ):
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".expert_home", slug=slug, token=token))
    return _page(
        "challenges/expert_home.html",
        author,
        "expert",
        token,
        422 if form.is_submitted() else 200,
        form=form,
        expert=expert,
        inputs=author_inputs(author),
    )
