"""The public library: full-text search, filters, pagination, detail.

How a search matches (the same on both engines):
- the text is split into words (letters and digits; punctuation separates, so
  "e-waste" is "e" and "waste"); common English words ("the", "and", ...) are
  ignored; at most MAX_TERMS words count;
- every remaining word must occur in the title, summary, organisation, city,
  body or results of an entry;
- words match by their English stem, case-insensitively: "plastics" finds
  "plastic", "recycling" finds "recycled". There is no prefix matching:
  "plast" finds nothing;
- with a search, results are ranked by relevance (a word in the title counts
  most, then summary, organisation and city, then body and results), then
  newest first; without one, newest first.
SQLite also folds accents ("reseau" finds "réseau"); PostgreSQL's english
configuration keeps them.

PostgreSQL evaluates the words with plainto_tsquery against the indexed
``search_vector``; SQLite with an FTS5 MATCH of the quoted words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, column, func, literal_column, or_, select, table
from sqlalchemy.orm import selectinload

from consult.challenges.models import Input
from consult.events.models import Event
from consult.extensions import db
from consult.library import search_index
from consult.library.models import LibraryEntry

PER_PAGE = 20
MAX_TERMS = 12
MAX_QUERY_LENGTH = 200

_WORD = re.compile(r"[^\W_]+")

# PostgreSQL's english stop words (snowball), so both engines ignore the same.
_STOP_WORDS_TEXT = """
i me my myself we our ours ourselves you your yours yourself yourselves he him
his himself she her hers herself it its itself they them their theirs
themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through
during before after above below to from up down in out on off over under
again further then once here there when where why how all any both each few
more most other some such no nor not only own same so than too very s t can
will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass
class LibraryQuery:
    """What the visitor asked for; empty values mean no filter."""

    q: str = ""
    category: str = ""
    country: str = ""
    event_id: int | None = None

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)

    @property
    def is_search(self) -> bool:
        return bool(self.q.strip())


@dataclass
class LibraryPage:
    entries: list[LibraryEntry]
    total: int
    page: int
    per_page: int
    query: LibraryQuery = field(default_factory=LibraryQuery)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search_terms(text: str | None) -> list[str]:
    """The words a search looks for: lower-cased, stop words and repeats dropped."""
    words = _WORD.findall((text or "")[:MAX_QUERY_LENGTH].lower())
    terms: list[str] = []
    for word in words:
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_library(query: LibraryQuery, *, page: int = 1, per_page: int = PER_PAGE):
    """One page of public library entries matching the query, ranked or newest first."""
    page = max(1, page)
    if query.is_search and not query.terms:
        return LibraryPage([], 0, page, per_page, query)
    ids_statement, count_statement = search_statements(
        query, page=page, per_page=per_page
    )
    total = db.session.scalar(count_statement) or 0
    ids = list(db.session.scalars(ids_statement))
    return LibraryPage(_load(ids), total, page, per_page, query)


def search_statements(query: LibraryQuery, *, page: int = 1, per_page: int = PER_PAGE):
    """(ids of one page in order, count of all matches): the two queries a search runs."""
    statement = _public(select(LibraryEntry.id), query)
    order = [LibraryEntry.published_at.desc(), LibraryEntry.id.desc()]
    if query.terms:
        statement, rank = _matching(statement, query.terms)
        order.insert(0, rank)
    count = select(func.count()).select_from(statement.subquery())
    ids = (
        statement.order_by(*order).limit(per_page).offset((max(1, page) - 1) * per_page)
    )
    return ids, count


def public_entry(entry_id: int) -> LibraryEntry | None:
    """The entry for its public page, or None when it is not public."""
    statement = _public(select(LibraryEntry.id), LibraryQuery())
    ids = list(db.session.scalars(statement.where(LibraryEntry.id == entry_id)))
    entries = _load(ids)
    return entries[0] if entries else None


def filter_options() -> tuple[list[str], list[Event]]:
    """Countries and events that public entries come from, for the filter form."""
    public_ids = _public(select(LibraryEntry.id), LibraryQuery()).subquery()
    countries = db.session.scalars(
        select(LibraryEntry.country)
        .where(LibraryEntry.id.in_(select(public_ids.c.id)), LibraryEntry.country != "")
        .distinct()
    )
    events = db.session.scalars(
        select(Event)
        .where(
            Event.id.in_(
                select(LibraryEntry.event_id).where(
                    LibraryEntry.id.in_(select(public_ids.c.id))
                )
            )
        )
        .order_by(Event.start_at.desc(), Event.id.desc())
    )
    return sorted(countries), list(events)


def _public(statement, query: LibraryQuery):
    """Entries anyone may see, narrowed by the query's filters.

    An input's copy is shown only while the input itself is a published best
    practice: a second guard behind sync_input_entry. Draft events stay private.
    """
    statement = (
        statement.join(Event, Event.id == LibraryEntry.event_id)
        .outerjoin(Input, Input.id == LibraryEntry.input_id)
        .where(
            Event.status != "draft",
            or_(
                LibraryEntry.input_id.is_(None),
                and_(Input.state == "published", Input.kind == "best_practice"),
            ),
        )
    )
    if query.category:
        statement = statement.where(LibraryEntry.category == query.category)
    country = (query.country or "").upper()
    if country:
        # A code is two ASCII letters; anything else matches nothing.
        valid = len(country) == 2 and country.isascii() and country.isalpha()
        statement = statement.where(LibraryEntry.country == (country if valid else ""))
    if query.event_id:
        statement = statement.where(LibraryEntry.event_id == query.event_id)
    return statement


def _matching(statement, terms: list[str]):
    """The statement narrowed to full-text matches, and an ORDER BY for relevance."""
    if db.session.get_bind().dialect.name == "postgresql":
        vector = literal_column(f"{search_index.TABLE}.{search_index.VECTOR_COLUMN}")
        tsquery = func.plainto_tsquery(
            literal_column("'english'::regconfig"), " ".join(terms)
        )
        rank = func.ts_rank_cd(vector, tsquery)
        return statement.where(vector.op("@@")(tsquery)), rank.desc()
    fts = table(search_index.FTS_TABLE, column("rowid"))
    fts_name = literal_column(search_index.FTS_TABLE)
    # Quoted words are plain strings to FTS5: no operators, no column filters.
    match = " ".join(f'"{term}"' for term in terms)
    weights = [
        search_index.FTS5_WEIGHTS[weight] for _, weight in search_index.WEIGHTED_COLUMNS
    ]
    rank = func.bm25(fts_name, *weights)  # lower is better
    statement = statement.join(fts, fts.c.rowid == LibraryEntry.id).where(
        fts_name.op("MATCH")(match)
    )
    return statement, rank.asc()


def _load(ids: list[int]) -> list[LibraryEntry]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(LibraryEntry)
        .where(LibraryEntry.id.in_(ids))
        .options(
            selectinload(LibraryEntry.event),
            selectinload(LibraryEntry.challenge),
            selectinload(LibraryEntry.input).selectinload(Input.registration),
            selectinload(LibraryEntry.input).selectinload(Input.expert),
        )
    )
    by_id = {entry.id: entry for entry in rows}
    return [by_id[i] for i in ids if i in by_id]
