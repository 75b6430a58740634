"""Action plan pages: editing (organisers, the city's representative), the
owners' progress updates, the public tracking page and the plan's files.
Each module registers its views on ``consult.actions.bp``."""

from consult.actions.routes import files, public  # noqa: F401
