"""Dashboard pages: the organiser's dashboard, report, exports, public results."""

from consult.challenges.labels import KIND_LABELS
from consult.dashboard import bp
from consult.dashboard.services.exports import EXPORT_LABELS
from consult.registration.countries import country_name


@bp.context_processor
def _dashboard_globals():
    return {
        "country_name": country_name,
        "kind_labels": KIND_LABELS,
        "export_labels": EXPORT_LABELS,
    }


from consult.dashboard.routes import (  # noqa: E402, F401
    exports,
    manage,
    prepared,
    public,
)
