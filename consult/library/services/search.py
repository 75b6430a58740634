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
  newest first; without one, newest first;
- a search or listing shows at most RESULT_WINDOW (1,000) entries: the newest
  matches, ranked. Beyond that the page says "more than 1,000" and asks for a
  narrower search. This bounds the work for words found in most entries
  (ranking reads every match's index entry), so every search stays fast at
  50,000 entries while rare words still find old entries.
SQLite also folds accents ("reseau" finds "réseau"); PostgreSQL's english
configuration keeps them.

PostgreSQL evaluates the words with plainto_tsquery against the indexed
``search_vector``; SQLite with an FTS5 MATCH of the quoted words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, column, func, literal_column, or_, select, table, text
from sqlalchemy.orm import selectinload

from consult.challenges.models import Input
from consult.events.models import Event
from consult.extensions import db
from consult.library import search_index
from consult.library.models import LibraryEntry

PER_PAGE = 20
RESULT_WINDOW = 1000
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
    total: int  # counted up to RESULT_WINDOW + 1
    page: int
    per_page: int
    query: LibraryQuery = field(default_factory=LibraryQuery)

    @property
    def more_than_window(self) -> bool:
        """True when there are more matches than a search shows."""
        return self.total > RESULT_WINDOW

    @property
    def shown_total(self) -> int:
        return min(self.total, RESULT_WINDOW)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.shown_total / self.per_page))

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
    """(ids of one page in order, count up to RESULT_WINDOW + 1): what a search runs.

    The window holds the newest RESULT_WINDOW matches; only those are ranked.
    """
    newest = [LibraryEntry.published_at.desc(), LibraryEntry.id.desc()]
    matches = _public(select(LibraryEntry.id, LibraryEntry.published_at), query)
    rank_input = None
    if query.terms:
        matches, rank_input = _matching(matches, query.terms)
    count = select(func.count()).select_from(
        matches.with_only_columns(LibraryEntry.id).limit(RESULT_WINDOW + 1).subquery()
    )
    window = matches.order_by(*newest).limit(RESULT_WINDOW).subquery("window")
    order = [window.c.published_at.desc(), window.c.id.desc()]
    if rank_input is not None:
        order.insert(0, rank_input(window))
    offset = (max(1, page) - 1) * per_page
    ids = select(window.c.id).order_by(*order).limit(per_page).offset(offset)
    return ids, count


def public_entry(entry_id: int) -> LibraryEntry | None:
    """The entry for its public page, or None when it is not public."""
    statement = _public(select(LibraryEntry.id), LibraryQuery())
    ids = list(db.session.scalars(statement.where(LibraryEntry.id == entry_id)))
    entries = _load(ids)
    return entries[0] if entries else None


def public_entries(*, batch: int = 500):
    """Every public entry, newest first, loaded ``batch`` at a time (open data)."""
    statement = _public(select(LibraryEntry.id), LibraryQuery()).order_by(
        LibraryEntry.published_at.desc(), LibraryEntry.id.desc()
    )
    ids = list(db.session.scalars(statement))
    for start in range(0, len(ids), batch):
        yield from _load(ids[start : start + batch])


def filter_options() -> tuple[list[str], list[Event]]:
    """Countries and events that public entries come from, for the filter form.

    Runs on every library page, so it never reads the whole table: the
    distinct values come from their indexes (a skip scan), and each is kept
    when one public entry has it.
    """
    countries = [
        code
        for code in _distinct_indexed("country")
        if code and _has_public_entry(LibraryQuery(country=code))
    ]
    event_ids = [
        event_id
        for event_id in _distinct_indexed("event_id")
        if _has_public_entry(LibraryQuery(event_id=event_id))
    ]
    events = db.session.scalars(
        select(Event)
        .where(Event.id.in_(event_ids))
        .order_by(Event.start_at.desc(), Event.id.desc())
    )
    return sorted(countries), list(events)


def _distinct_indexed(column_name: str) -> list:
    """Distinct values of an indexed column, one index probe per value."""
    if column_name not in ("country", "event_id"):
        raise ValueError(column_name)
    table_name = search_index.TABLE
    return list(
        db.session.scalars(
            text(
                f"WITH RECURSIVE v(value) AS ("
                f" SELECT min({column_name}) FROM {table_name}"
                f" UNION ALL SELECT (SELECT min({column_name}) FROM {table_name}"
                f" WHERE {column_name} > v.value) FROM v WHERE v.value IS NOT NULL"
                f") SELECT value FROM v WHERE value IS NOT NULL"
            )
        )
    )


def _has_public_entry(query: LibraryQuery) -> bool:
    return db.session.scalar(select(_public(select(LibraryEntry.id), query).exists()))


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
    """The statement narrowed to full-text matches, with what ranking needs.

    Returns the statement and a function that, given the window subquery,
    gives its ORDER BY term for relevance.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        vector = literal_column(f"{search_index.TABLE}.{search_index.VECTOR_COLUMN}")
        tsquery = func.plainto_tsquery(
            literal_column("'english'::regconfig"), " ".join(terms)
        )
        # The vector travels out of the window so that only the window's rows
        # are ranked (each rank reads a whole, often compressed, tsvector).
        statement = statement.where(vector.op("@@")(tsquery)).add_columns(
            vector.label("search_vector")
        )
        return statement, lambda w: func.ts_rank_cd(w.c.search_vector, tsquery).desc()
    fts = table(search_index.FTS_TABLE, column("rowid"))
    fts_name = literal_column(search_index.FTS_TABLE)
    # Quoted words are plain strings to FTS5: no operators, no column filters.
    match = " ".join(f'"{term}"' for term in terms)
    weights = [
        search_index.FTS5_WEIGHTS[weight] for _, weight in search_index.WEIGHTED_COLUMNS
    ]
    # bm25() only works inside the MATCH query; lower is better.
    statement = (
        statement.join(fts, fts.c.rowid == LibraryEntry.id)
        .where(fts_name.op("MATCH")(match))
        .add_columns(func.bm25(fts_name, *weights).label("bm25"))
    )
    return statement, lambda w: w.c.bm25.asc()


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
