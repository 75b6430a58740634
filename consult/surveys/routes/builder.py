"""Survey pages: builder."""

from consult.surveys import bp  # noqa: F401
