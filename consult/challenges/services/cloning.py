"""The challenges' part of a clone (consult/clone_parts.py).

Each active challenge is copied with its texts, category, city, order and
translations, and stays the same challenge (``lineage_id``); the submission
window moves like the event's dates and the prioritisation method is kept.
Inputs, supports and priorities stay with the source.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.challenges.models import Challenge, ChallengeSettings
from consult.challenges.services.challenges import event_challenges
from consult.challenges.services.common import settings_for
from consult.clone_parts import (
    CloneJob,
    ClonePart,
    copied_translations,
    register_clone_part,
)
from consult.extensions import db


def _copy_challenges(job: CloneJob) -> None:
    for challenge in event_challenges(job.source):
        db.session.add(
            Challenge(
                event_id=job.clone.id,
                position=challenge.position,
                title=challenge.title,
                description=challenge.description,
                category=challenge.category,
                city=challenge.city,
                translations=copied_translations(challenge.translations),
                lineage_id=challenge.lineage_key,
                created_at=job.now,
                updated_at=job.now,
            )
        )
    settings = settings_for(job.source)
    if settings.id is not None:
        db.session.add(
            ChallengeSettings(
                event_id=job.clone.id,
                opens_at=job.shift(settings.opens_at),
                closes_at=job.shift(settings.closes_at),
                priority_method=settings.priority_method,
                updated_at=job.now,
            )
        )


register_clone_part(
    ClonePart(
        key="challenges",
        label=_l("Challenges"),
        explanation=_l(
            "Each challenge's title, description, category, city, order and "
            "translations, kept as the same challenge across the two events; "
            "the submission window, moved like the dates. No inputs or "
            "priorities."
        ),
        copy=_copy_challenges,
        order=30,
    )
)
