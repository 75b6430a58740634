"""Library pages: the public library and organisers' resource management."""

from consult.library.routes import manage, public  # noqa: F401
