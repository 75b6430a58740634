"""The API's web layer: /api/v1 resources, its docs, and the token pages."""

from __future__ import annotations


def init_app(app) -> None:
    """Register the API's blueprints and its OpenAPI document on ``app``."""
    from consult.api.routes import (
        attendance,
        challenges,
        events,
        library,
        registrations,
        results,
        surveys,
        tokens,
        webhooks,
    )
    from consult.api.routes.base import ConsultApi
    from consult.api.routes.docs import docs_bp

    app.config.setdefault("API_TITLE", "Consult API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = ConsultApi(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "Personal tokens from your account page, sent as "
                    "`Authorization: Bearer <token>`. Errors are RFC 9457 "
                    "problem details. See docs/api.md."
                )
            },
            "servers": [{"url": "/"}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer"}
    )
    api.register_blueprint(events.blp)
    api.register_blueprint(registrations.blp)
    api.register_blueprint(library.blp)
    api.register_blueprint(attendance.blp)
    api.register_blueprint(challenges.blp)
    api.register_blueprint(surveys.blp)
    api.register_blueprint(results.blp)
    api.register_blueprint(webhooks.blp)
    app.extensions["consult-api"] = api
    app.register_blueprint(docs_bp)
    app.register_blueprint(tokens.bp)
