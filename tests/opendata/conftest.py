"""Open-data tests use the dashboard's event: 12 confirmed registrants with
ballots (government 5, private 4, research 2, civil society 1), so small
groups are combined on the public page."""

from tests.dashboard.conftest import app_config, dash_event  # noqa: F401
