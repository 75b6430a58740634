"""Account forms. They check presence and matching; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from consult.auth.passwords import MAX_LENGTH
from consult.forms import EmailField, FlaskForm, LanguageField

# Bounds the work argon2 does for a single request; the policy says the rest.
_max_password = Length(max=MAX_LENGTH)


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    new = PasswordField(
        _l("New password"),
        validators=[InputRequired(), _max_password],
        description=_l("At least 10 characters; common passwords are refused."),
        render_kw={"autocomplete": "new-password", "minlength": 10},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new, confirm


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), _max_password],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), _max_password],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()


class AccountForm(FlaskForm):
    """What an account sets for itself: the language of its messages."""

    language = LanguageField(
        description=_l(
            "Emails from Consult to you (password resets, reviews, reminders to "
            "record the attendance) are written in this language."
        )
    )
