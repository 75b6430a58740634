"""Surveys pages."""

from consult.surveys import bp  # noqa: F401
