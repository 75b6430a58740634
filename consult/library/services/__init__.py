"""Library services: copying published best practices in, organisers' resources,
and the public search.

Every service flushes and never commits; refusals are domain errors from
consult.errors.
"""

from consult.library.services.resources import (
    ResourceData,
    can_edit_resource,
    challenges_by_event,
    check_resource,
    create_resource,
    delete_resource,
    manageable_resources,
    update_resource,
)
from consult.library.services.search import (
    PER_PAGE,
    LibraryPage,
    LibraryQuery,
    filter_options,
    public_entry,
    search_library,
    search_terms,
)
from consult.library.services.sync import sync_input_entry

__all__ = [
    "PER_PAGE",
    "LibraryPage",
    "LibraryQuery",
    "ResourceData",
    "can_edit_resource",
    "challenges_by_event",
    "check_resource",
    "create_resource",
    "delete_resource",
    "filter_options",
    "manageable_resources",
    "public_entry",
    "search_library",
    "search_terms",
    "sync_input_entry",
    "update_resource",
]
