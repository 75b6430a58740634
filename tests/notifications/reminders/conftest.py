"""Reminder tests reuse the registration fixtures (events with types, registrants)
and the app with a SERVER_NAME, so emails built by the engine carry absolute links."""

from tests.registration.conftest import (  # noqa: F401 (fixtures)
    app,
    make_reg_event,
    make_registration,
    reg_event,
    stype,
)
