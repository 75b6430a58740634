"""GET /api/v1/library: the public library, searched as on its page."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.api.routes.auth import needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.schemas import LibraryEntry, LibraryFilter, LibraryPage
from consult.errors import NotFound
from consult.library.services.search import (
    LibraryQuery,
    public_entry,
    search_library,
)

blp = ApiBlueprint(
    "api_library",
    __name__,
    url_prefix=PREFIX + "/library",
    description="The public library of best practices and resources.",
)
PER_PAGE = 20


def entry_view(entry) -> dict:
    return {
        **{
            name: getattr(entry, name)
            for name in LibraryEntry._declared_fields
            if name != "event"
        },
        "event": entry.event.slug,
    }


@blp.route("")
@needs("results:read")
@blp.etag
@blp.arguments(LibraryFilter, location="query", as_kwargs=True)
@blp.response(200, LibraryPage)
@document_errors(blp)
def search(q: str, category: str, country: str, page: int):
    """Published entries (the library page's search): ranked by relevance
    with `q`, else newest first; 20 a page."""
    query = LibraryQuery(q=q, category=category, country=country.upper())
    found = search_library(query, page=page, per_page=PER_PAGE)
    return {
        "items": [entry_view(entry) for entry in found.entries],
        "total": found.total,
        "page": found.page,
    }


@blp.route("/<int:entry_id>")
@needs("results:read")
@blp.etag
@blp.response(200, LibraryEntry)
@document_errors(blp, 404)
def entry(entry_id: int):
    """One published entry."""
    found = public_entry(entry_id)
    if found is None:
        raise NotFound(_("Not found, or not yours to see."))
    return entry_view(found)
