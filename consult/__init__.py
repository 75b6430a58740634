"""Consult: webinars and stakeholder consultations.

The application factory imports the app's own modules inside its functions,
on purpose: Python runs this file before any ``consult.<module>`` is
imported, so a module-level import here would load every area (and their
routes) whenever one small module is imported, by a test, a migration or the
CLI, and would close import cycles through this package.
"""

from __future__ import annotations

import hmac
import os

from flask import Flask, abort, request

from config import CONFIGS


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application. No I/O (no tables, no migrations, no scheduler)
    but reading, or once making, the development SECRET_KEY file."""
    config_name = config_name or os.environ.get("CONSULT_ENV") or "development"
    if config_name not in CONFIGS:
        raise RuntimeError(f"unknown CONSULT_ENV {config_name!r}")
    config = CONFIGS[config_name]
    overrides = dict(overrides or {})
    app = Flask(
        __name__,
        instance_path=overrides.get("INSTANCE_DIR", config.INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    _check_secret_key(app, config_name)
    if config_name == "production" and not app.config.get("SERVER_NAME"):
        # Links in emails are built from SERVER_NAME; without it they would
        # come from the request's Host header, which a client can forge.
        raise RuntimeError(
            "SERVER_NAME must be set in production (the public host name, "
            "e.g. consult.example.org) so links in emails point at your site"
        )

    if config_name == "production":
        _refuse_per_process_rate_limits(app.config)

    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    from consult.numbers import install_converters

    install_converters(app)  # before any rule: every <int:...> is bounded
    _register_blueprints(app)

    from consult import cli, errors, i18n, security, timeutil

    i18n.init_app(app)  # the language switcher's route, <html lang>, Vary
    errors.register_error_handlers(app)
    security.init_app(app)
    timeutil.register_filters(app)
    cli.register(app)
    _init_templates(app)
    return app


def _refuse_per_process_rate_limits(config) -> None:
    """Production with memory:// counters must run a single web worker.

    Each process counts alone in memory, so with N workers every limit is N
    times what it says (two workers let 18 of 30 failed logins through a limit
    of 10). The app cannot see how many workers gunicorn starts, so it asks to
    be told: a shared store, or WEB_CONCURRENCY=1.
    """
    storage = (config.get("RATELIMIT_STORAGE_URI") or "memory://").strip()
    if not config.get("RATELIMIT_ENABLED") or not storage.startswith("memory://"):
        return
    if config.get("WEB_CONCURRENCY") == 1:
        return
    raise RuntimeError(
        "RATELIMIT_STORAGE_URI is memory:// (counters kept in each process) in "
        "production: set it to a store every web worker shares, e.g. "
        "redis://HOST:6379/0, or set WEB_CONCURRENCY=1 if exactly one web worker "
        "runs (gunicorn starts that many by default)"
    )


def _check_secret_key(app: Flask, config_name: str) -> None:
    """Production refuses a missing, published or short key; development
    without one uses this install's own (the one file the factory may write)."""
    from consult import secret_key

    if config_name == "production":
        problem = secret_key.problem(app.config["SECRET_KEY"])
        if problem:
            raise RuntimeError(problem)
    elif not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key.instance_key(app.instance_path)


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from consult import models  # noqa: F401  (every table on the metadata)
    from consult.database import (
        configure_engine,
        render_migration_item,
        set_write_intent,
    )
    from consult.extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        mail,
        migrate,
    )
    from consult.i18n import select_locale
    from consult.library.search_index import (
        include_name as search_index_include_name,
    )

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, "..", "migrations"),
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
        render_item=render_migration_item,
        # The library's search index (FTS5 tables, tsvector column) is written
        # by hand per engine; autogenerate must not try to drop it.
        include_name=search_index_include_name,
    )
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    mail.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    @app.before_request
    def _declare_write_intent():
        set_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.before_request
    def _refuse_nul_in_the_path():
        # No path of the site names anything with a NUL character, and
        # PostgreSQL cannot even compare text with one (an error, a 500). The
        # API answers with problem details itself (api/routes/base.py); query
        # values are the pages' own: filters drop what they do not understand.
        if "\x00" in request.path and not request.path.startswith("/api/"):
            abort(404)

    @login_manager.user_loader
    def _load_user(session_id: str):
        from consult.auth.models import User

        user_id, _, fingerprint = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not hmac.compare_digest(
            fingerprint, user.session_fingerprint()
        ):
            return None  # the password changed since this session began
        return user


def _register_blueprints(app: Flask) -> None:
    # Route modules are imported here, not by their packages, so that importing
    # a service (auth -> notifications -> events -> auth ...) never drags in
    # every blueprint's views and their import cycles.
    from consult.actions import bp as actions_bp
    from consult.actions import routes as _actions_routes  # noqa: F401
    from consult.auth import bp as auth_bp
    from consult.auth import routes as _auth_routes  # noqa: F401
    from consult.calendar import bp as calendar_bp
    from consult.calendar import routes as _calendar_routes  # noqa: F401
    from consult.challenges import bp as challenges_bp
    from consult.challenges import routes as _challenges_routes  # noqa: F401
    from consult.cities.routes import bp as cities_bp
    from consult.contributions import bp as contributions_bp
    from consult.contributions import routes as _contributions_routes  # noqa: F401
    from consult.covenant import bp as covenant_bp
    from consult.covenant import routes as _covenant_routes  # noqa: F401
    from consult.dashboard import bp as dashboard_bp
    from consult.dashboard import routes as _dashboard_routes  # noqa: F401
    from consult.directory import bp as directory_bp
    from consult.directory import routes as _directory_routes  # noqa: F401
    from consult.events import bp as events_bp
    from consult.events import routes as _events_routes  # noqa: F401
    from consult.facilitators import bp as facilitators_bp
    from consult.facilitators import routes as _facilitators_routes  # noqa: F401
    from consult.library import bp as library_bp
    from consult.library import routes as _library_routes  # noqa: F401
    from consult.live import bp as live_bp
    from consult.live import routes as _live_routes  # noqa: F401
    from consult.notifications import bp as notifications_bp
    from consult.notifications import routes as _notifications_routes  # noqa: F401
    from consult.notifications.sms import routes as _sms_routes  # noqa: F401
    from consult.opendata import bp as opendata_bp
    from consult.opendata import routes as _opendata_routes  # noqa: F401
    from consult.platforms import bp as platforms_bp
    from consult.platforms import routes as _platforms_routes  # noqa: F401
    from consult.programmes import bp as programmes_bp
    from consult.programmes import routes as _programmes_routes  # noqa: F401
    from consult.registration import bp as registration_bp
    from consult.registration import routes as _registration_routes  # noqa: F401
    from consult.surveys import bp as surveys_bp
    from consult.surveys import routes as _surveys_routes  # noqa: F401
    from consult.webhooks import bp as webhooks_bp
    from consult.webhooks import routes as _webhooks_routes  # noqa: F401

    app.register_blueprint(actions_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(challenges_bp)
    app.register_blueprint(cities_bp)
    app.register_blueprint(contributions_bp)
    app.register_blueprint(covenant_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(facilitators_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(platforms_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(opendata_bp)

    from consult.api.routes import init_app as init_api

    init_api(app)  # /api/v1, its OpenAPI document, the account's tokens


def _init_templates(app: Flask) -> None:
    from consult.cities.services import city_url
    from consult.content import choice_label, language_display, localized, text_in
    from consult.events.services.languages import missing_in
    from consult.forms import form_problems
    from consult.links import external_url
    from consult.surveys.forms import answer_problems
    from consult.surveys.scale import scale_labels_in
    from consult.text import render_markdown

    app.jinja_env.filters["markdown"] = render_markdown
    # Absolute links shown on pages come from settings, like those in emails.
    app.jinja_env.globals["external_url"] = external_url
    # Organiser texts in the visitor's language (templates/_macros/content.html).
    app.jinja_env.globals["tr"] = text_in
    # A city's public page (consult/cities).
    app.jinja_env.globals["city_url"] = city_url
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["language_display"] = language_display
    app.jinja_env.globals["choice_label"] = choice_label
    app.jinja_env.globals["scale_labels"] = scale_labels_in
    app.jinja_env.globals["missing_texts"] = missing_in
    # The error summary at the top of every form (templates/_macros/forms.html).
    app.jinja_env.globals["form_problems"] = form_problems
    app.jinja_env.globals["answer_problems"] = answer_problems
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
