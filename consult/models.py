"""Import every area's models so metadata (Alembic, create_all) sees all tables."""

# Areas imported as modules (challenges, library, surveys) register their
# tables on import, whatever their classes are called.
from consult.actions import models as _actions_models  # noqa: F401
from consult.api.models import ApiToken  # noqa: F401
from consult.auth.models import User  # noqa: F401
from consult.challenges import models as _challenges_models  # noqa: F401
from consult.cities.models import City  # noqa: F401
from consult.contributions import models as _contributions_models  # noqa: F401
from consult.covenant import models as _covenant_models  # noqa: F401
from consult.dashboard import models as _dashboard_models  # noqa: F401
from consult.data_versions import EventDataVersion  # noqa: F401
from consult.directory import models as _directory_models  # noqa: F401
from consult.events.models import (  # noqa: F401
    AgendaSession,
    Event,
    EventOrganiser,
    PartnerCity,
    PrivacyNotice,
    Speaker,
)
from consult.export_log import ExportLog  # noqa: F401
from consult.facilitators.models import EventFacilitator  # noqa: F401
from consult.facilitators.paper.models import PaperImport, PaperSheet  # noqa: F401
from consult.library import models as _library_models  # noqa: F401
from consult.live import models as _live_models  # noqa: F401
from consult.notifications.models import (  # noqa: F401
    OutboundAttachment,
    OutboundEmail,
    SchedulerHeartbeat,
)
from consult.platforms.models import PlatformLink, PlatformRegistrant  # noqa: F401
from consult.programmes import models as _programmes_models  # noqa: F401
from consult.registration.models import (  # noqa: F401
    AttendanceImport,
    CancellationUndo,
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.storage import models as _storage_models  # noqa: F401
from consult.surveys import models as _surveys_models  # noqa: F401
from consult.webhooks import models as _webhooks_models  # noqa: F401
