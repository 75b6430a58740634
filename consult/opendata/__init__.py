"""Open data: published results and the public library as JSON and CSV.

No token and no login: exactly what the public pages show (the results page's
frozen version, with its small groups already combined; the library's public
entries), for programmes' reports and other platforms.
"""

from flask import Blueprint

bp = Blueprint("opendata", __name__)
