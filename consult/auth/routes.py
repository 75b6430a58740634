"""Log in and out, the account page, change a password, reset a forgotten one."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from consult.attempts import submit
from consult.auth import bp, services, throttle
from consult.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from consult.errors import DomainError, ValidationFailed
from consult.extensions import db, limiter
from consult.forms import show_error
from consult.languages import recipient_locale
from consult.links import safe_next
from consult.timeutil import now_utc


def _ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_limit() -> str:
    config = current_app.config
    return config.get("LOGIN_EMAIL_RATE_LIMIT") or config["LOGIN_RATE_LIMIT"]


def _email_and_address_key() -> str:
    # Per (account, client address): one address cannot hammer an account,
    # and strangers' requests use up no one else's (throttle.reset_mail_allowed
    # caps the account's emails without refusing anyone).
    account = throttle.account_key(request.form.get("email"))
    return f"email:{account}:{get_remote_address()}"


def _not_success(response) -> bool:
    # Only attempts that did not end in a redirect (a success) use up the quota,
    # so colleagues behind one office IP are not locked out by logging in.
    return response.status_code != 302


def _user_key() -> str:
    return f"user:{current_user.get_id()}"


def _attempt_limits(account_key=None, *, failures_only: bool = True):
    """Per-IP (and optionally per-account) limits on POSTs.

    With ``failures_only`` a successful POST (a redirect) is not counted.
    """
    deduct_when = _not_success if failures_only else None

    def decorate(view):
        if account_key is not None:
            view = limiter.limit(
                _email_limit,
                key_func=account_key,
                methods=["POST"],
                deduct_when=deduct_when,
                scope="account",
            )(view)
        return limiter.limit(_ip_limit, methods=["POST"], deduct_when=deduct_when)(view)

    return decorate


def _home_for(user) -> str:
    if user.can_organise:
        return url_for("events.manage_index")
    if user.is_facilitator:
        return url_for("facilitators.home")
    return url_for("events.index")


def _start_session(user, *, remember: bool = False) -> None:
    # Cookie sessions have no server-side id to fix, but anything put in the
    # session before login (by whoever held the browser) must not survive it.
    session.clear()
    login_user(user, remember=remember)


def _remembered() -> bool:
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return name in request.cookies


@bp.route("/auth/login", methods=["GET", "POST"])
# Per account, failures are throttled in the view (consult/auth/throttle.py):
# a limit on the account alone would let strangers lock its owner out.
@_attempt_limits()
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        account, address = throttle.account_key(form.email.data), get_remote_address()
        attempt = throttle.admit(account, address)
        if attempt is None:
            raise TooManyRequests(retry_after=throttle.retry_after(account, address))
        now = now_utc()
        user = services.authenticate(form.email.data, form.password.data, now=now)
        if user is not None:
            throttle.record_success(attempt)
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            return redirect(next_url or _home_for(user))
        burst = throttle.record_failure(attempt)
        if burst is not None:
            services.alert_failed_logins(
                form.email.data,
                failures=burst.failures,
                addresses=burst.addresses,
                window_seconds=burst.window_seconds,
                now=now,
            )
            db.session.commit()
        form.form_errors.append(_("Email or password is incorrect."))
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.post("/auth/logout")
def logout():
    if current_user.is_authenticated:
        # A signed cookie copied before logout would still be valid: ending
        # the account's sessions is what makes logging out mean it.
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    # Clear first: logout_user() leaves a note in the session telling
    # Flask-Login to delete the remember-me cookie, which must survive.
    session.clear()
    logout_user()
    flash(_("You have been logged out, on this and every other device."), "info")
    return redirect(url_for("events.index"))


@bp.route("/auth/account", methods=["GET", "POST"])
@login_required
def account():
    """The account's own settings: the language of its messages."""
    user = current_user._get_current_object()
    form = AccountForm()
    form.language.prefill(recipient_locale(user))
    if submit(form, lambda: services.set_language(user, form.language.data)):
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.account"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/account.html", form=form, user=user), status


@bp.route("/auth/password", methods=["GET", "POST"])
@login_required
@_attempt_limits(account_key=_user_key)
def change_password():
    form = ChangePasswordForm()
    if submit(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.password.data, now=now_utc()
        ),
        # The form's checks failed: the service's too, so one submit says all.
        check=lambda: services.check_password_change(
            current_user, form.current_password.data, form.password.data
        ),
    ):
        db.session.commit()
        # The session id carries a password fingerprint, so every other
        # browser is now logged out; this one starts a fresh session.
        _start_session(current_user._get_current_object(), remember=_remembered())
        flash(_("Your password has been changed."), "success")
        return redirect(_home_for(current_user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/auth/reset", methods=["GET", "POST"])
# Every request counts here: each one may send an email.
@_attempt_limits(account_key=_email_and_address_key, failures_only=False)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            if throttle.reset_mail_allowed(throttle.account_key(form.email.data)):
                services.request_password_reset(form.email.data, now=now_utc())
            else:
                # Validated all the same: a typo gets its message either way.
                services.normalise_email(form.email.data)
        except ValidationFailed as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            # The same words whether or not the address has an account.
            flash(
                _(
                    "If an account exists for that address, we have sent it a link "
                    "to choose a new password. Check your inbox in a few minutes."
                ),
                "info",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@_attempt_limits()
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        if form.validate_on_submit():
            user = services.reset_password(token, form.password.data, now=now_utc())
            db.session.commit()
            _start_session(user)
            flash(_("Your new password is set. You are now logged in."), "success")
            return redirect(_home_for(user))
        user = services.check_reset_token(token, now=now_utc())
        if form.is_submitted():
            # The form's checks failed: the password policy too, so one
            # submit says all.
            try:
                services.check_new_password(user, form.password.data)
            except ValidationFailed as exc:
                show_error(form, exc, beside_checked=True)
    except ValidationFailed as exc:
        db.session.rollback()
        show_error(form, exc)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("auth.reset_request"))
    return render_template("auth/reset_password.html", form=form, token=token)
