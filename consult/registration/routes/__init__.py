"""Registration pages. Each area adds its module to this list of imports."""

from consult.registration.routes import public  # noqa: F401
