"""The OpenAPI document and the browsable page made from it, server-side."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from consult.api.routes.base import PREFIX

docs_bp = Blueprint("api_docs", __name__, url_prefix=PREFIX)

METHODS = ("get", "post", "put", "patch", "delete")


def openapi_document() -> dict:
    return current_app.extensions["consult-api"].spec.to_dict()


@docs_bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


def _operations(document: dict) -> list[dict]:
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            scopes = [
                scope
                for requirement in operation.get("security", [])
                for scope in requirement.get("bearerAuth", [])
            ]
            found.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").strip("-"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        *item.get("parameters", []),
                        *operation.get("parameters", []),
                    ],
                    "body": operation.get("requestBody"),
                    "responses": operation.get("responses", {}),
                    "scopes": scopes,
                }
            )
    return found


@docs_bp.get("/")
def docs():
    """The API's reference, rendered from the OpenAPI document (no scripts)."""
    document = openapi_document()
    return render_template(
        "api/docs.html",
        document=document,
        operations=_operations(document),
        schemas=document.get("components", {}).get("schemas", {}),
    )
