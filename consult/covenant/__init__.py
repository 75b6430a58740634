"""Covenant of Mayors commitments: a city's targets for mitigation,
adaptation and access to energy, their status, and the actions of its plan
that serve each (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("covenant", __name__)
