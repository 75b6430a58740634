"""The error summary at the top of every form, the collector services use to
report several problems, and submit(), which runs the form's and the
service's checks in one pass."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from wtforms import RadioField, StringField

from consult.attempts import rehearse, submit
from consult.errors import Problems, ValidationFailed
from consult.forms import FlaskForm, form_problems

SUMMARY = '{% from "_macros/forms.html" import form_errors %}{{ form_errors(form) }}'


class _Sample(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Full name")
    kind = RadioField("Group", choices=["a", "b"])
    city = StringField("City")


def _render(form) -> str:
    return render_template_string(SUMMARY, form=form)


def test_no_summary_without_problems(app):
    with app.test_request_context():
        assert _render(_Sample()).strip() == ""


def test_the_summary_counts_and_links_every_problem(app):
    with app.test_request_context():
        form = _Sample()
        form.name.errors = ["This field is required.", "Too short."]
        form.kind.errors = ["Choose a group."]
        form.form_errors.append("Registration is closed.")
        html = _render(form)
    assert "There are 4 problems with this form" in html
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    assert "autofocus" in html
    assert re.findall(r'href="#([^"]+)"', html) == ["name", "name", "kind-0"]
    assert "Full name: Too short." in html
    # The form's own message has no field to go to.
    assert "<li>Registration is closed.</li>" in html


def test_one_problem_is_said_in_the_singular(app):
    with app.test_request_context():
        form = _Sample()
        form.city.errors = ["Give a city."]
        html = _render(form)
    assert "There is 1 problem with this form" in html
    assert [p.target for p in form_problems(form)] == ["city"]


def test_problems_collects_and_raises_them_together():
    problems = Problems()

    def refuse(message, field):
        raise ValidationFailed(message, field)

    assert problems.take(refuse, "Bad start.", "start") is None
    assert problems.take(lambda: 42) == 42
    problems.add("Bad end.", "end")
    assert problems.has("end") and not problems.has("title")
    with pytest.raises(ValidationFailed) as refused:
        problems.raise_any()
    assert refused.value.problems == [("start", "Bad start."), ("end", "Bad end.")]
    assert (refused.value.field, refused.value.message) == ("start", "Bad start.")
    Problems().raise_any()  # nothing found: nothing raised


def test_submit_adds_the_services_checks_beside_the_forms_own(app):
    with app.test_request_context(method="POST", data={"name": "", "city": "x"}):
        form = _Sample()
        form.name.validators = [lambda form, field: _required(field)]
        called = []

        def check():
            raise ValidationFailed.of(
                [
                    ("name", "Service: a name."),
                    ("city", "Unknown city."),
                    (None, "Closed."),
                ]
            )

        outcome = submit(form, lambda: called.append(1), check=check)
    # Not tried, with the check's refusal for a page that shows more of it.
    assert not outcome and outcome.pending
    assert [name for name, _m in outcome.error.problems] == ["name", "city", None]
    assert called == []
    # The field the form refused keeps its own message only.
    assert form.name.errors == ["Required."]
    assert form.city.errors == ["Unknown city."]
    assert form.form_errors == ["Closed."]


def test_submit_runs_the_service_when_the_form_passes(app):
    with app.test_request_context(
        method="POST", data={"name": "Siti", "kind": "a", "city": "PJ"}
    ):
        form = _Sample()
        outcome = submit(form, lambda: "done", check=lambda: None)
    assert outcome and outcome.value == "done"


def test_submit_does_nothing_before_the_form_is_sent(app):
    with app.test_request_context():
        outcome = submit(_Sample(), lambda: pytest.fail("called"))
    assert not outcome and outcome.error is None


def _required(field):
    from wtforms.validators import StopValidation

    if not field.data:
        raise StopValidation("Required.")


def test_a_group_laid_out_by_hand_names_its_own_link(app):
    with app.test_request_context():
        form = _Sample()
        form.kind.link_target = "kind-b"  # the page's ids are its choices
        form.kind.errors = ["Choose a group."]
        assert [p.target for p in form_problems(form)] == ["kind-b"]


def test_rehearse_reports_the_refusal_and_keeps_no_write(app, organiser):
    from consult.auth.models import User
    from consult.extensions import db

    db.session.commit()
    name = organiser.name

    def rename(then_refuse: bool):
        organiser.name = "Rehearsed"
        db.session.flush()
        if then_refuse:
            raise ValidationFailed.of([("name", "No."), ("city", "Nor this.")])

    rehearse(lambda: rename(False))
    with pytest.raises(ValidationFailed) as refused:
        rehearse(lambda: rename(True))
    assert len(refused.value.problems) == 2
    db.session.commit()  # nothing rehearsed reaches a commit
    db.session.expire_all()
    assert db.session.get(User, organiser.id).name == name
