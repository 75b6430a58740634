"""attempt()/attempt_action(): success is "no domain error", never the return value."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField

from consult.attempts import Outcome, attempt, attempt_action
from consult.auth.models import User
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db


class NameForm(FlaskForm):
    name = StringField()


def _rename(user, name, error=None):
    def call():
        user.name = name
        db.session.flush()
        if error is not None:
            raise error
        # Like hide_input and update_moderation: success returns nothing.

    return call


def test_a_service_returning_none_is_a_success(app, organiser):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        outcome = attempt(form, _rename(organiser, "Renamed"))
        assert outcome and outcome.ok and outcome.value is None
        assert outcome.error is None and not form.errors


def test_the_value_rides_along(app):
    with app.test_request_context():
        outcome = attempt_action(lambda: 0)
    assert outcome and outcome.value == 0  # a falsy value is still a success


def test_a_refusal_rolls_back_and_shows_the_message_next_to_its_field(app, organiser):
    refusal = ValidationFailed("Choose another name.", field="name")
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        outcome = attempt(form, _rename(organiser, "Flushed", refusal))
        assert not outcome and outcome.error is refusal
        assert form.name.errors == ["Choose another name."]
    names = db.session.scalars(select(User.name)).all()
    assert names == ["Organiser"]  # the flushed change was rolled back


def test_a_conflict_without_a_field_goes_above_the_form(app, organiser):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        outcome = attempt(form, _rename(organiser, "x", Conflict("Taken already.")))
        assert not outcome and form.form_errors == ["Taken already."]


def test_a_button_refusal_is_flashed(app, organiser):
    with app.test_request_context(method="POST"):
        outcome = attempt_action(_rename(organiser, "x", Conflict("Not now.")))
        assert not outcome
        assert get_flashed_messages(with_categories=True) == [("error", "Not now.")]


@pytest.mark.parametrize("error", [PermissionDenied("No."), NotFound("Gone.")])
def test_access_and_missing_records_become_error_pages(app, organiser, error):
    with app.test_request_context(method="POST"), pytest.raises(type(error)):
        attempt_action(_rename(organiser, "x", error))
    assert db.session.scalar(select(User.name)) == "Organiser"


def test_a_caller_may_show_access_refusals_on_the_form(app, organiser):
    closed = PermissionDenied("The submission window is closed.")
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        outcome = attempt(form, _rename(organiser, "x", closed), passthrough=(404,))
        assert not outcome and form.form_errors == [closed.message]


def test_outcome_repr_says_what_happened():
    assert "ok" in repr(Outcome(value=3))
    assert "refused" in repr(Outcome(error=Conflict("No.")))
