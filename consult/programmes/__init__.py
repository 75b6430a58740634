"""Programmes: several events of city-to-city cooperation that add up.

A programme has organisers, a description, its events (``events.programme_id``),
the city pairs that cooperate within it and, optionally, one event that new
events start from (its template). Its public page sums participation across
its events; its organisers' dashboard compares them.
"""

from flask import Blueprint

bp = Blueprint("programmes", __name__)
