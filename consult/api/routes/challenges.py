"""An event's challenges and its inputs (problem insights, best practices,
ideas, pilot proposals, questions) with their moderation state.

A public event's challenges and published inputs are readable by any token
with the scope, as on the public challenges page; its organisers (and
admins) also read archived challenges and every input in every state.
Drafts of others are 404, as events are.
"""

from __future__ import annotations

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.schemas_participation import (
    ChallengeList,
    InputFilter,
    InputItem,
    InputPage,
)
from consult.api.services.inputs import inputs_page, reader_challenges, reader_input
from consult.api.services.queries import event_types, visible_event
from consult.challenges.services.public_page import EXPERTS, OTHER

# The input's own columns, as stored.
INPUT_FIELDS = (
    "id", "state", "kind", "title", "body", "category", "city", "country",
    "organisation", "period", "results", "links", "lead", "partners",
    "budget_range", "timeline", "answer", "answered_at", "selected_for_plan",
    "is_expert", "is_demo", "created_at", "published_at", "updated_at",
)  # fmt: skip

blp = ApiBlueprint(
    "api_challenges",
    __name__,
    url_prefix=PREFIX + "/events/<slug>",
    description="An event's challenges, and the inputs made to them.",
)


@blp.route("/challenges")
@needs("events:read")
@blp.etag
@blp.response(200, ChallengeList)
@document_errors(blp, 404)
def challenges(slug: str):
    """The event's challenges in their order; archived ones (organisers
    only) carry `archived_at`."""
    user = api_user()
    event = visible_event(user, slug)
    return {
        "items": [
            {
                **{
                    name: getattr(challenge, name)
                    for name in (
                        "id",
                        "position",
                        "title",
                        "description",
                        "category",
                        "city",
                        "translations",
                        "archived_at",
                        "updated_at",
                    )
                },
                "lineage": challenge.lineage_key,
            }
            for challenge in reader_challenges(event, user)
        ]
    }


def _author(item, key: str, types: dict, managed: bool) -> dict:
    if key == EXPERTS:
        group, kind = "invited_expert", None
    elif key == OTHER:
        group, kind = "other", None
    else:
        group, kind = "stakeholder_type", types[int(key)]
    if managed:
        name, organisation = item.author_name, item.author_organisation
    else:
        name, organisation = item.public_author_name, item.public_author_organisation
    return {
        "group": group,
        "stakeholder_type": kind
        and {"id": kind.id, "key": kind.key, "label": kind.label},
        "name": name or None,
        "organisation": organisation or None,
    }


def _inputs(event, read) -> list[dict]:
    """The read inputs as the reader may see them (``services/inputs.py``)."""
    types = {kind.id: kind for kind in event_types(event)}
    managed = read.managed
    return [
        {
            **{name: getattr(item, name) for name in INPUT_FIELDS},
            "challenge": item.challenge
            and {"id": item.challenge.id, "title": item.challenge.title},
            "tags": list(item.tags or []),
            "supports": read.supports.get(item.id, 0),
            "author": _author(item, key, types, managed),
            "hidden_reason": item.hidden_reason if managed else None,
            "merged_into": item.merged_into_id if managed else None,
            "event_timezone": event.timezone,
        }
        for item, key in read.items
    ]


@blp.route("/inputs")
@needs("results:read")
@blp.etag
@blp.arguments(InputFilter, location="query", as_kwargs=True)
@blp.response(200, InputPage)
@document_errors(blp, 404)
def inputs(slug: str, **filters):
    """Inputs by id, filtered by state, challenge (an id or `general`) and
    kind; pages of `limit` with an opaque `next_cursor`. Organisers read
    every state; others the published inputs the public page shows."""
    user = api_user()
    event = visible_event(user, slug)
    read = inputs_page(event, user, **filters)
    return {"items": _inputs(event, read), "next_cursor": read.next_cursor}


@blp.route("/inputs/<int:input_id>")
@needs("results:read")
@blp.etag
@blp.response(200, InputItem)
@document_errors(blp, 404)
def input_detail(slug: str, input_id: int):
    """One input (to others than organisers: a published one)."""
    user = api_user()
    event = visible_event(user, slug)
    return _inputs(event, reader_input(event, user, input_id))[0]
