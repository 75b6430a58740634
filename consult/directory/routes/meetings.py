"""Meeting requests, blocks and reports, through the participant's manage link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.attempts import attempt_action, submit
from consult.directory import bp
from consult.directory.forms import ButtonForm, ReportForm, RequestForm
from consult.directory.routes.helpers import (
    BASE,
    closed_page,
    member_or_none,
    own_registration_or_404,
)
from consult.directory.services.listing import profiles_of, visible_person
from consult.directory.services.meetings import (
    accept_request,
    check_request,
    decline_request,
    incoming,
    outgoing,
    send_request,
)
from consult.directory.services.safety import block, report
from consult.errors import NotFound
from consult.extensions import db
from consult.numbers import parse_id
from consult.timeutil import now_utc

PERSON = BASE + "/people/<int:person_id>"


def _person_or_404(registration, person_id: int):
    try:
        return visible_person(registration, person_id)
    except NotFound:
        abort(404)


@bp.route(f"{PERSON}/request", methods=["GET", "POST"])
def new_request(slug: str, token: str, person_id: int):
    registration = own_registration_or_404(slug, token)
    if member_or_none(registration) is None:
        return closed_page(registration, token)
    person = _person_or_404(registration, person_id)
    form = RequestForm()
    if not form.is_submitted():
        form.timezone.data = registration.timezone or registration.event.timezone
    starts = form.starts()
    zone = form.timezone.data or ""

    def call():
        return send_request(
            registration, person.id, form.message.data, starts, zone, now=now_utc()
        )

    def check():
        check_request(
            registration, person.id, form.message.data, starts, zone, now=now_utc()
        ).raise_any()

    if submit(form, call, check=check, names={"slots": "slot_1"}, passthrough=(404,)):
        db.session.commit()
        flash(_("Your request is sent. You will hear when it is answered."), "success")
        return redirect(url_for(".requests", slug=slug, token=token))
    page = render_template(
        "directory/request.html",
        event=registration.event,
        registration=registration,
        token=token,
        person=person,
        profile=profiles_of([person]).get(person.id),
        form=form,
        button_form=ButtonForm(),
        report_form=ReportForm(formdata=None),
    )
    return page, 422 if form.is_submitted() else 200


@bp.get(f"{BASE}/requests")
def requests(slug: str, token: str):
    registration = own_registration_or_404(slug, token)
    return render_template(
        "directory/requests.html",
        event=registration.event,
        registration=registration,
        token=token,
        incoming=incoming(registration),
        outgoing=outgoing(registration),
        button_form=ButtonForm(),
        viewer_zone=registration.timezone or registration.event.timezone,
        member=member_or_none(registration) is not None,
    )


def _button_or_400() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.post(f"{BASE}/requests/<int:request_id>/accept")
def accept(slug: str, token: str, request_id: int):
    registration = own_registration_or_404(slug, token)
    _button_or_400()
    slot_id = parse_id(request.form.get("slot"))
    if attempt_action(
        lambda: accept_request(registration, request_id, slot_id, now=now_utc())
    ):
        db.session.commit()
        flash(
            _("Accepted: you both get an email with each other's address."), "success"
        )
    return redirect(url_for(".requests", slug=slug, token=token))


@bp.post(f"{BASE}/requests/<int:request_id>/decline")
def decline(slug: str, token: str, request_id: int):
    registration = own_registration_or_404(slug, token)
    _button_or_400()
    if attempt_action(lambda: decline_request(registration, request_id, now=now_utc())):
        db.session.commit()
        flash(_("Declined."), "success")
    return redirect(url_for(".requests", slug=slug, token=token))


@bp.post(f"{PERSON}/block")
def block_person(slug: str, token: str, person_id: int):
    registration = own_registration_or_404(slug, token)
    _button_or_400()
    if outcome := attempt_action(
        lambda: block(registration, person_id, now=now_utc()), passthrough=(404,)
    ):
        db.session.commit()
        flash(
            _(
                "%(name)s is blocked: no more requests, and you no longer see "
                "each other in the directory.",
                name=outcome.value.full_name,
            ),
            "success",
        )
    return redirect(url_for(".requests", slug=slug, token=token))


@bp.post(f"{PERSON}/report")
def report_person(slug: str, token: str, person_id: int):
    registration = own_registration_or_404(slug, token)
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt_action(
        lambda: report(registration, person_id, form.reason.data, now=now_utc()),
        passthrough=(404,),
    ):
        db.session.commit()
        flash(_("Thank you: the organisers will look at this profile."), "success")
    return redirect(url_for(".requests", slug=slug, token=token))
