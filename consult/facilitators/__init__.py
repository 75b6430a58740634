"""Facilitators: accounts that register people of one event and record their
answers on their behalf, in person, by phone or on paper."""

from flask import Blueprint

bp = Blueprint("facilitators", __name__)
