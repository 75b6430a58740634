"""Dashboard pages."""

from consult.dashboard import bp  # noqa: F401
