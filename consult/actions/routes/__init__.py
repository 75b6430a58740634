"""Action plan pages: editing (organisers, the city's representative), the
owners' progress updates, the public tracking page and the plan's files.
Each module registers its views on ``consult.actions.bp``."""

import consult.actions.routes.editing  # noqa: F401
import consult.actions.routes.files  # noqa: F401
import consult.actions.routes.milestones  # noqa: F401
import consult.actions.routes.owner  # noqa: F401
import consult.actions.routes.progress  # noqa: F401
import consult.actions.routes.public  # noqa: F401
