"""Survey pages: answer."""

from consult.surveys import bp  # noqa: F401
