"""Import every area's models so metadata (Alembic, create_all) sees all tables."""

from consult.auth.models import User  # noqa: F401
from consult.events.models import (  # noqa: F401
    AgendaSession,
    Event,
    EventOrganiser,
    PartnerCity,
    Speaker,
)
from consult.notifications.models import (  # noqa: F401
    OutboundAttachment,
    OutboundEmail,
    SchedulerHeartbeat,
)
from consult.registration.models import (  # noqa: F401
    AttendanceImport,
    Registration,
    RegistrationQuestion,
    StakeholderType,
)

# Areas whose models module defines its own tables; importing registers them.
from consult.challenges import models as _challenges_models  # noqa: E402,F401
from consult.library import models as _library_models  # noqa: E402,F401
from consult.surveys import models as _surveys_models  # noqa: E402,F401
