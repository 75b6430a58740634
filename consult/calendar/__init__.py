"""Calendar files: the public .ics, personal invites, updates, private feeds."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)
