"""Library services: copying published best practices in, organisers' resources,
and the public search.

Every service flushes and never commits; refusals are domain errors from
consult.errors.
"""

from consult.library.services.sync import sync_input_entry

__all__ = ["sync_input_entry"]
