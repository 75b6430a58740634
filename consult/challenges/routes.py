"""Challenges pages."""

from consult.challenges import bp  # noqa: F401
