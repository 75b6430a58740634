"""Programme pages: organisers' (``manage``, ``members``, ``dashboard``),
the city record (``cities``) and the public page (``public``)."""

from consult.programmes.routes import (  # noqa: F401
    cities,
    dashboard,
    manage,
    members,
    public,
)
