"""The participants' live room: entered from the manage link, then
``/events/<slug>/live`` with its state document for the page's script."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from consult.attempts import attempt_action, submit
from consult.directory.routes.helpers import own_registration_or_404
from consult.errors import DomainError
from consult.extensions import db, limiter
from consult.live import bp
from consult.live.forms import AnswerForm, AskForm, ButtonForm
from consult.live.routes.helpers import (
    PASS_KEY,
    checked_pass,
    grant_pass,
    kept_state,
    not_modified,
    participant_or_none,
    phase_at,
    room_event_or_404,
    room_version,
)
from consult.live.services.participants import may_enter
from consult.live.services.polls import answer_poll
from consult.live.services.questions import ask, upvote
from consult.live.services.state import ordered, own_state, shared_state
from consult.live.services.window import settings_of, window_of
from consult.security import forbid_storing
from consult.timeutil import now_utc

ROOM = "/events/<slug>/live"


@bp.after_request
def _never_stored(response):
    # Each participant's room shows their own questions and answers.
    forbid_storing(response)
    return response


def _post_limit() -> str:
    return current_app.config["LIVE_POST_RATE_LIMIT"]


def _participant_key() -> str:
    """The browser's live passes (the participant), else its address."""
    passes = session.get(PASS_KEY) or {}
    held = sorted(str(p[0]) for p in passes.values() if isinstance(p, list) and p)
    return "live:" + (",".join(held) if held else get_remote_address())


@bp.get("/events/<slug>/registration/<token>/live")
def enter(slug: str, token: str):
    registration = own_registration_or_404(slug, token)
    if not may_enter(registration):
        page = render_template(
            "live/not_confirmed.html", event=registration.event, token=token
        )
        return page, 403
    grant_pass(registration)
    return redirect(url_for(".room", slug=slug))


def _sort() -> str:
    return "time" if request.args.get("sort") == "time" else "votes"


@bp.get(ROOM)
def room(slug: str):
    event = room_event_or_404(slug)
    registration = participant_or_none(event)
    if registration is None:
        return render_template("live/no_pass.html", event=event), 403
    return _room_page(event, registration)


def _room_page(event, registration, *, ask_form=None, status=200):
    now = now_utc()
    window = window_of(event)
    phase = window.phase(now)
    if phase == "before":
        page = render_template(
            "live/before.html", event=event, registration=registration, window=window
        )
        return page, status
    # The shared part as the state document has it (a busy room's page, loaded
    # after each vote, would otherwise build a document per vote).
    kind = f"room:{get_locale()}"
    seen = room_version(kind, event.slug, lambda: window_of(event))
    version = seen.version
    shared = json.loads(
        kept_state(kind, seen.event_id, version, lambda: _polled(event))
    )
    me = own_state(registration)
    sort = _sort()
    page = render_template(
        "live/room.html",
        etag=f'W/"{_etag(version, phase)}"',
        event=event,
        registration=registration,
        phase=phase,
        room=shared,
        me=me,
        questions=ordered(shared["questions"], sort),
        sort=sort,
        ask_form=ask_form or AskForm(formdata=None),
        button=ButtonForm(),
        answer_form=AnswerForm(formdata=None),
        settings=settings_of(event),
    )
    return page, status


@bp.get(f"{ROOM}/state.json")
def state(slug: str):
    """The room as every participant sees it, polled every two seconds:
    no query at all while this worker's document is fresh (room_version).
    The participant's own votes and questions are in the page, which their
    actions reload; the document is the same for everyone reading in one
    language (it carries each poll's results as HTML)."""
    kind = f"room:{get_locale()}"
    seen = room_version(kind, slug, lambda: window_of(room_event_or_404(slug)))
    if checked_pass(seen.event_id) is None:
        abort(403)
    phase = phase_at(seen.window, now_utc())
    etag = _etag(seen.version, phase)
    if not_modified(etag):
        return _json_response(b"", etag, status=304)
    shared = kept_state(
        kind, seen.event_id, seen.version, lambda: _polled(room_event_or_404(slug))
    )
    body = b'{"phase":"%s","room":%s}' % (phase.encode(), shared)
    return _json_response(body, etag)


def _polled(event) -> dict:
    """The shared state, each poll also drawn as the page draws it: its
    results, and the whole poll for a participant who has answered it and for
    one who has not (the page's script picks, and fills in the form's token).
    A poll launched or closed then reaches every page without each of them
    fetching the page again at the same moment."""
    shared = shared_state(event)
    for poll in shared["polls"]:
        poll["results_html"] = render_template("live/_poll_results.html", poll=poll)
        poll["html"] = {
            key: render_template(
                "live/_poll.html",
                poll=poll,
                event=event,
                phase="open",  # a page reloads when the room's phase changes
                answered=answered,
                csrf="",
            )
            for key, answered in (("open", False), ("answered", True))
        }
    return shared


def _etag(version: str, phase: str) -> str:
    return f"room-{version}-{phase}"


def _json_response(body: bytes, etag: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="application/json")
    response.set_etag(etag, weak=True)
    return response


def _participant_or_403(slug: str):
    event = room_event_or_404(slug)
    registration = participant_or_none(event)
    if registration is None:
        abort(403)
    return event, registration


@bp.post(f"{ROOM}/questions")
@limiter.limit(_post_limit, key_func=_participant_key)
def ask_question(slug: str):
    event, registration = _participant_or_403(slug)
    form = AskForm()
    outcome = submit(
        form,
        lambda: ask(
            registration, form.text.data, anonymous=form.anonymous.data, now=now_utc()
        ),
    )
    if not outcome:
        return _room_page(event, registration, ask_form=form, status=422)
    db.session.commit()
    flash(_("Thank you: your question will show once a moderator approves it."))
    return redirect(url_for(".room", slug=slug))


@bp.post(f"{ROOM}/questions/<int:question_id>/vote")
@limiter.limit(_post_limit, key_func=_participant_key)
def vote(slug: str, question_id: int):
    event, registration = _participant_or_403(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if request.accept_mimetypes.best == "application/json":
        return _vote_for_the_script(registration, question_id)
    outcome = attempt_action(lambda: upvote(registration, question_id, now=now_utc()))
    if outcome:
        db.session.commit()
        if not outcome.value:
            flash(_("You have already voted for this question."))
    return redirect(url_for(".room", slug=slug, sort=_sort()))


def _vote_for_the_script(registration, question_id: int):
    """The room's script votes without reloading the page (the page's own
    part would cost a render per vote): JSON, the refusal's message with its
    status."""
    try:
        counted = upvote(registration, question_id, now=now_utc())
    except DomainError as exc:
        db.session.rollback()
        return jsonify(error=exc.message), exc.status_code
    db.session.commit()
    return jsonify(question=question_id, counted=bool(counted))


@bp.post(f"{ROOM}/polls/<int:poll_id>/answer")
@limiter.limit(_post_limit, key_func=_participant_key)
def answer(slug: str, poll_id: int):
    event, registration = _participant_or_403(slug)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Check your answer."), "error")
        return redirect(url_for(".room", slug=slug) + f"#poll-{poll_id}")
    data = form.to_data(request.form)
    outcome = attempt_action(
        lambda: answer_poll(registration, poll_id, data, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_("Thank you: your answer is counted."))
    return redirect(url_for(".room", slug=slug) + f"#poll-{poll_id}")
