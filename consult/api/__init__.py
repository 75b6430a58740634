"""The JSON API at /api/v1 (flask-smorest), its OpenAPI document and the
account's personal tokens (docs/api.md). The app factory registers it with
``consult.api.routes.init_app``."""
