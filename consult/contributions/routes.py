"""Contributions pages."""

from consult.contributions import bp  # noqa: F401
