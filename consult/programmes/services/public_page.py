"""What the programme's public page shows: no personal data, counts only."""

from __future__ import annotations

from dataclasses import dataclass

from consult.library.models import LibraryEntry
from consult.library.services.search import LibraryQuery, search_library
from consult.programmes.models import Programme
from consult.programmes.services.figures import EventRow, GroupCount, event_rows
from consult.programmes.services.figures import group_totals as totals_of
from consult.programmes.services.queries import public_events

LIBRARY_PER_EVENT = 50


@dataclass
class PublicProgramme:
    programme: Programme
    rows: list[EventRow]
    totals: list[GroupCount]
    library: list[LibraryEntry]


def public_programme(programme: Programme) -> PublicProgramme:
    """The programme's published events with their participation per
    stakeholder group, the totals, and its events' public library entries."""
    rows = event_rows(public_events(programme))
    library: list[LibraryEntry] = []
    for row in rows:
        found = search_library(
            LibraryQuery(event_id=row.event.id), per_page=LIBRARY_PER_EVENT
        )
        library.extend(found.entries)
    return PublicProgramme(programme, rows, totals_of(rows), library)
