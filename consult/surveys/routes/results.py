"""Survey pages: results."""

from consult.surveys import bp  # noqa: F401
