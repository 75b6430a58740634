"""Registration pages. Each area adds its module to this list of imports."""

from consult.registration.routes import (
    attendance,  # noqa: F401
    manage,  # noqa: F401
    manage_decisions,  # noqa: F401
    manage_erasure,  # noqa: F401
    manage_people,  # noqa: F401
    manage_settings,  # noqa: F401
    message,  # noqa: F401
    public,  # noqa: F401
    thanks,  # noqa: F401
)
