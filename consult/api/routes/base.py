"""The API's flask-smorest classes, wired to Consult's errors and tokens."""

from __future__ import annotations

import http

from flask import g
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response

from consult.api.routes import auth, problems
from consult.api.schemas import Problem
from consult.extensions import csrf, limiter

PREFIX = "/api/v1"


class ConsultApi(Api):
    """flask-smorest on our own Flask app, with problem details for errors.

    Its app-wide HTTPException handler is left out: the site's pages keep
    their HTML error pages; the API blueprints handle their own errors.
    """

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem detail", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


class ApiBlueprint(Blueprint):
    """A resource's blueprint: bearer tokens, per-token rate limit, no CSRF
    (no cookies are read), problem details."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(auth.authenticate)
        problems.install(self)
        csrf.exempt(self)
        limiter.limit(auth.rate_limit, key_func=auth.rate_limit_key, scope="api")(self)

    def _check_not_modified(self, etag):
        g.api_etag = etag  # for the 304 (routes/problems.py)
        super()._check_not_modified(etag)


# Documented on every operation that takes a token.
AUTH_RESPONSES = ("UNAUTHORIZED", "FORBIDDEN", "TOO_MANY_REQUESTS")


def document_errors(blp: ApiBlueprint, *statuses: int):
    """Add these problem responses (and 401/403/429) to an operation's doc."""

    def decorate(view):
        names = [*AUTH_RESPONSES, *(http.HTTPStatus(s).name for s in statuses)]
        for name in names:
            view = blp.alt_response(http.HTTPStatus[name].value, response=name)(view)
        return view

    return decorate
