"""Covenant of Mayors pages: the editors' list and forms of a city's
commitments (manage.py). The public side is the city page (consult.cities)."""

import consult.covenant.routes.manage  # noqa: F401
