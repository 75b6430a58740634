"""What confirmed participants need to take part: interpretation, captions,
other needs, counted for the organiser's dashboard.

Counted among the participants of ``consult.registration.counting`` (confirmed,
not erased). Interpretation is asked as free text ("Interpretation needed
(language)"), so it is grouped as written, ignoring case and surrounding
spaces. Captions and other needs are counted per language the person reads
(their language for messages; the site's default for those who chose none).
Only counts leave this module: the needs themselves are in the registrant list
and its export.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.counting import participant
from consult.registration.models import Registration


@dataclass(frozen=True)
class LanguageNeeds:
    """Participants reading one language who asked for something."""

    language: str
    interpretation: int
    captions: int
    other: int


@dataclass(frozen=True)
class AccessNeeds:
    # (language as written, participants), most asked first.
    interpretation: list[tuple[str, int]]
    by_language: list[LanguageNeeds]  # languages read, most needs first

    @property
    def interpretation_total(self) -> int:
        return sum(n for _language, n in self.interpretation)

    @property
    def captions_total(self) -> int:
        return sum(row.captions for row in self.by_language)

    @property
    def other_total(self) -> int:
        return sum(row.other for row in self.by_language)

    @property
    def any(self) -> bool:
        return bool(self.by_language)


def access_needs(event: Event, *, default_language: str) -> AccessNeeds:
    """The event's participants' access needs, in two GROUP BY queries."""
    asked = func.trim(Registration.needs_interpretation)
    key = func.lower(asked)
    rows = db.session.execute(
        select(func.min(asked), func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            participant(),
            func.coalesce(asked, "") != "",
        )
        .group_by(key)
    )
    interpretation = sorted(
        ((name, n) for name, n in rows), key=lambda row: (-row[1], row[0].lower())
    )
    language = func.coalesce(Registration.language, default_language)
    interprets = func.coalesce(asked, "") != ""
    described = func.coalesce(func.trim(Registration.other_needs), "") != ""
    needs = db.session.execute(
        select(
            language,
            func.sum(case((interprets, 1), else_=0)),
            func.sum(case((Registration.needs_captions.is_(True), 1), else_=0)),
            func.sum(case((described, 1), else_=0)),
        )
        .where(Registration.event_id == event.id, participant())
        .group_by(language)
    )
    by_language = [
        LanguageNeeds(code, int(i or 0), int(c or 0), int(o or 0))
        for code, i, c, o in needs
        if i or c or o
    ]
    by_language.sort(
        key=lambda r: (-(r.interpretation + r.captions + r.other), r.language)
    )
    return AccessNeeds(interpretation, by_language)
