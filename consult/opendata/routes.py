"""Open-data downloads: no token, no login, cacheable with an ETag."""

from __future__ import annotations

import hashlib
import json

from flask import Response, abort, current_app, request

from consult.database import set_write_intent
from consult.events.access import visible_event_or_404
from consult.opendata import bp
from consult.opendata.services import (
    library_csv,
    library_entries,
    published_results,
    results_csv,
)


def _file(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["OPENDATA_CACHE_SECONDS"]
    response.set_etag(hashlib.sha256(body.encode()).hexdigest())
    return response.make_conditional(request)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _results(slug: str) -> tuple[dict, str]:
    set_write_intent(False)
    event = visible_event_or_404(slug)
    data = published_results(event)
    if data is None:
        abort(404)
    return data, event.slug


@bp.get("/events/<slug>/results.json")
def results_json(slug: str):
    data, slug = _results(slug)
    return _file(_json(data), "application/json", f"{slug}-results.json")


@bp.get("/events/<slug>/results.csv")
def results_table(slug: str):
    data, slug = _results(slug)
    return _file(results_csv(data), "text/csv", f"{slug}-results.csv")


@bp.get("/library.json")
def library_json():
    set_write_intent(False)
    entries = list(library_entries())
    return _file(_json({"entries": entries}), "application/json", "library.json")


@bp.get("/library.csv")
def library_table():
    set_write_intent(False)
    return _file(library_csv(list(library_entries())), "text/csv", "library.csv")
