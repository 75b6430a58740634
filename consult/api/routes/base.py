"""The API's flask-smorest classes, wired to Consult's errors and tokens."""

from __future__ import annotations

import http

import marshmallow as ma
from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import NotFound

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


NUL = "\x00"


def _strings(value, key: str = "_"):
    """(top-level key, text) of every string in a JSON value."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, inner in value.items():
            yield str(name), str(name)
            yield from _strings(inner, str(name) if key == "_" else key)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, key)


class ApiParser(FlaskParser):
    """webargs' parser, refusing text with a NUL character before any schema
    reads it: no field takes one, and PostgreSQL cannot even compare one (a
    query with it would fail, a 500)."""

    def pre_load(self, location_data, *, schema, req, location):
        if location in ("query", "querystring"):
            pairs = [(k, v) for k, values in req.args.lists() for v in [k, *values]]
        else:
            pairs = list(_strings(location_data))
        refused = sorted({key for key, text in pairs if NUL in text})
        if refused:
            message = _("Please remove the invisible control characters.")
            raise ma.ValidationError({key: [message] for key in refused})
        return location_data


def refuse_nul_in_path() -> None:
    """A path value with a NUL names nothing (and PostgreSQL cannot look it up)."""
    if any(NUL in str(value) for value in (request.view_args or {}).values()):
        raise NotFound()


class ApiBlueprint(Blueprint):
    """A resource's blueprint: bearer tokens, per-token rate limit, no CSRF
    (no cookies are read), problem details."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(auth.authenticate)
        self.before_request(refuse_nul_in_path)
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
