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
