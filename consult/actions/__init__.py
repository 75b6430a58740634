"""Local action plans: a host city's actions and pilots, traced to the
consultation's inputs, with milestones, progress updates and a public
tracking page (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("actions", __name__)
