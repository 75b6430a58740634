"""Dashboard area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
