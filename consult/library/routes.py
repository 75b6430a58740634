"""Library pages."""

from consult.library import bp  # noqa: F401
