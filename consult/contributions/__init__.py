"""Contributions area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("contributions", __name__)
