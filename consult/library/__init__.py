"""Library area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("library", __name__)
