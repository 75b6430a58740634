"""Challenges area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("challenges", __name__)
