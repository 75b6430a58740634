"""The public challenges page: contents, filters, sorting and paging.

The overview lists every challenge with its number of published inputs (and
how many of them match the filters), then each challenge with its first
``PREVIEW`` matching inputs folded away; one challenge's own page shows all
its matching inputs, ``PER_PAGE`` at a time. Paging is per challenge: an
input is read against its challenge, so a page never mixes challenges.

Filters: the kind of input, the author's stakeholder group and words of the
text. The group is the author's *current* registration type (the rule of
``consult.registration.counting``); invited experts are a group of their
own, which their badge already shows. The page names no author without
consent, so a group filter must not single one out either: a group is
offered on its own only when, by ``consult.surveys.results.privacy``'s
small-group rule, enough different people wrote its published inputs; the
groups below it (and inputs of erased registrations) are offered only
together, as "other groups", which that rule keeps at the threshold or more.

Sorting: most supported (the supports that count, ``supports.support_query``)
or newest first, as the page always sorted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.challenges.models import INPUT_KINDS, Challenge, Input
from consult.challenges.services.challenges import event_challenges
from consult.challenges.services.queries import support_counts
from consult.content import text_in
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.seats import stakeholder_types
from consult.surveys.results.privacy import hidden_groups

PREVIEW = 3  # matching inputs shown per challenge on the overview
PER_PAGE = 10  # inputs per page of one challenge
MAX_QUERY = 200  # characters of the text filter kept
SORTS = ("support", "date")
EXPERTS = "experts"  # the group of invited experts' inputs
OTHER = "other"  # the small groups together, and erased registrations


@dataclass(frozen=True)
class PublicFilter:
    """What the reader asked for; ``from_args`` drops what is not understood."""

    kind: str = ""
    group: str = ""  # a stakeholder type id, EXPERTS or OTHER
    q: str = ""
    sort: str = "support"

    @classmethod
    def from_args(cls, args: Mapping) -> PublicFilter:
        kind = args.get("kind") or ""
        text = "".join(ch for ch in str(args.get("q") or "") if ch.isprintable())
        return cls(
            kind=kind if kind in INPUT_KINDS else "",
            group=str(args.get("type") or "").strip()[:20],
            q=" ".join(text.split())[:MAX_QUERY],
            sort="date" if args.get("sort") == "date" else "support",
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.group or self.q)

    def args(self) -> dict[str, str]:
        """The non-default values as query arguments, for links."""
        values = {"kind": self.kind, "type": self.group, "q": self.q}
        if self.sort != "support":
            values["sort"] = self.sort
        return {key: value for key, value in values.items() if value}


@dataclass
class ChallengeSection:
    challenge: Challenge | None  # None: general inputs
    items: list[Input] = field(default_factory=list)  # shown: preview or page
    total: int = 0  # published inputs
    matched: int = 0  # of them, matching the filters

    @property
    def key(self) -> str:
        return str(self.challenge.id) if self.challenge is not None else "general"

    @property
    def more(self) -> bool:
        return self.matched > len(self.items)


@dataclass
class PublicPage:
    sections: list[ChallengeSection]  # shown: all, the matching ones, or one
    contents: list[ChallengeSection]  # every section, for the contents
    supports: dict[int, int]
    total: int
    matched: int
    filters: PublicFilter
    groups: list[tuple[str, str]]  # (key, label) the group filter offers
    focus: str | None = None
    page: int = 1
    pages: int = 1

    @property
    def first(self) -> int:
        """The position of the page's first input (1-based), on a challenge's page."""
        return (self.page - 1) * PER_PAGE + 1 if self.sections[0].items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.sections[0].items) - 1 if self.first else 0


def _published(event) -> list[tuple[Input, str]]:
    """(input, group key) of the event's published inputs of active challenges,
    the key being the stakeholder type id, EXPERTS or OTHER (erased)."""
    rows = db.session.execute(
        select(Input, Registration.stakeholder_type_id, Registration.erased_at)
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .outerjoin(Registration, Registration.id == Input.registration_id)
        .where(
            Input.event_id == event.id,
            Input.state == "published",
            or_(Input.challenge_id.is_(None), Challenge.archived_at.is_(None)),
        )
    )
    items = []
    for item, type_id, erased_at in rows:
        if item.expert_id is not None:
            key = EXPERTS
        elif type_id is None or erased_at is not None:
            key = OTHER
        else:
            key = str(type_id)
        items.append((item, key))
    return items


def _group_choices(event, items) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The groups offered, and each type key mapped to the key filtering it."""
    authors: dict[str, set[int]] = {}
    for item, key in items:
        if key not in (EXPERTS, OTHER):
            authors.setdefault(key, set()).add(item.registration_id)
    counts = {key: len(people) for key, people in authors.items()}
    hidden = hidden_groups(counts)
    mapped = {key: (OTHER if key in hidden else key) for key in counts}
    choices = [
        (str(t.id), text_in(t, "label"))
        for t in stakeholder_types(event)
        if str(t.id) in counts and str(t.id) not in hidden
    ]
    if choices and (hidden or any(key == OTHER for _item, key in items)):
        choices.append((OTHER, _("Other groups (combined)")))
    if any(key == EXPERTS for _item, key in items):
        choices.append((EXPERTS, _("Invited experts")))
    return choices, mapped


def published_inputs(event) -> list[tuple[Input, str]]:
    """The inputs the page shows, by id, each with its author's group as the
    page's group filter tells it: a stakeholder type id offered on its own,
    ``OTHER`` (the small groups together, and erased registrations) or
    ``EXPERTS``. What the API shows a reader who does not manage the event."""
    items = _published(event)
    _choices, mapped = _group_choices(event, items)
    shown = [(item, mapped.get(key, key)) for item, key in items]
    return sorted(shown, key=lambda pair: pair[0].id)


def _matches(item: Input, words: list[str]) -> bool:
    text = " ".join(
        [
            item.title,
            item.body,
            item.city,
            item.organisation,
            item.period,
            item.results,
            item.lead,
            item.partners,
            item.timeline,
            item.answer,
            *(item.tags or []),
        ]
    ).casefold()
    return all(word in text for word in words)


def public_page(
    event,
    filters: PublicFilter | None = None,
    *,
    focus: str | None = None,
    page: int = 1,
) -> PublicPage:
    """The overview, or with ``focus`` ("<challenge id>" or "general") one
    challenge's page ``page`` (beyond the last: the last)."""
    filters = filters or PublicFilter()
    items = _published(event)
    groups, mapped = _group_choices(event, items)
    if filters.group not in dict(groups):
        filters = PublicFilter(filters.kind, "", filters.q, filters.sort)
    supports = support_counts(item.id for item, _key in items)
    words = [word.casefold() for word in filters.q.split()]
    matching = [
        item
        for item, key in items
        if (not filters.kind or item.kind == filters.kind)
        and (not filters.group or mapped.get(key, key) == filters.group)
        and _matches(item, words)
    ]
    if filters.sort == "date":
        matching.sort(
            key=lambda i: (i.published_at or i.created_at, i.id), reverse=True
        )
    else:
        matching.sort(
            key=lambda i: (supports.get(i.id, 0), i.published_at or i.created_at, i.id),
            reverse=True,
        )
    general = ChallengeSection(None)
    sections = [ChallengeSection(c) for c in event_challenges(event)]
    by_id = {s.challenge.id: s for s in sections}
    for item, _key in items:
        by_id.get(item.challenge_id, general).total += 1
    for item in matching:
        section = by_id.get(item.challenge_id, general)
        section.matched += 1
        section.items.append(item)
    if general.total:
        sections.append(general)
    result = PublicPage(
        sections=sections,
        contents=sections,
        supports=supports,
        total=len(items),
        matched=len(matching),
        filters=filters,
        groups=groups,
    )
    focused = next((s for s in sections if s.key == focus), None)
    if focused is not None:
        result.focus, result.sections = focused.key, [focused]
        result.pages = max(1, -(-focused.matched // PER_PAGE))
        result.page = min(max(page, 1), result.pages)
        start = (result.page - 1) * PER_PAGE
        focused.items = focused.items[start : start + PER_PAGE]
        return result
    for section in sections:
        section.items = section.items[:PREVIEW]
    if filters.active:
        result.sections = [s for s in sections if s.matched]
    return result
