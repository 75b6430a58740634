"""Registration: stakeholder types, seats, waiting list, manage links, attendance."""

from flask import Blueprint

bp = Blueprint("registration", __name__)
