"""The public results page: published by an organiser, frozen, versioned.

Publishing stores a snapshot (``ResultsVersion.data``) of every figure and
text the public page shows, with the date, who published, the counting rule's
version and the small-group threshold used. The public page serves the latest
version until the organiser publishes again; earlier versions stay readable at
their own address. Later changes to the event's data change nothing on the
page: the organiser's dashboard says when the live figures differ from the
published ones. Taking the page down keeps the versions, for the event's
organisers only; publishing again continues the numbering.

No personal data and no group smaller than the threshold: stakeholder types
and countries below it are folded into "other", and one more group is folded
in while the folded ones together stay below it (otherwise the total minus the
shown groups would give the small ones back). Inputs appear only when selected
for the action plan, named only with their author's consent; an author who
erases their data or withdraws that consent is unnamed in every stored version
too (``scrub_author``, ``scrub_input``).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from consult.challenges.charts import overall_shares, type_shares
from consult.challenges.models import Input
from consult.challenges.services import priority_results
from consult.challenges.services.inputs import on_unnamed
from consult.content import current_language
from consult.dashboard.models import ResultsPublication, ResultsVersion
from consult.dashboard.services import queries
from consult.dashboard.services.dashboard import publication_of
from consult.errors import Conflict, Problems
from consult.events.models import Event
from consult.extensions import db
from consult.facts import announce
from consult.registration import counting
from consult.registration.countries import country_name
from consult.registration.models import Registration
from consult.registration.services.organiser_queries import stakeholder_balance
from consult.registration.services.privacy import on_erase
from consult.surveys.results import hidden_groups, min_group_size

NOTE_MAX = 5000
# Decimal places of the shares the public page shows.
SHARE_PLACES = 1
# The fields of an input the public page shows (see dashboard/_input.html).
INPUT_FIELDS = (
    "title",
    "kind",
    "body",
    "city",
    "organisation",
    "country",
    "period",
    "results",
    "lead",
    "timeline",
    "is_expert",
)


def _lock_event(event: Event) -> None:
    # Two organisers publishing at once: the second waits for the first, then
    # numbers its version after it. NO KEY: like the seat lock, it does not
    # block rows that reference the event.
    db.session.execute(
        select(Event.id).where(Event.id == event.id).with_for_update(key_share=True)
    )


def check_publication(event: Event, note: str) -> str:
    """The note as published, or every reason not to publish: a note too
    long and a draft event together (a ValidationFailed), a draft alone a
    Conflict. Nothing written."""
    note = (note or "").strip()
    problems = Problems()
    if len(note) > NOTE_MAX:
        problems.add(_("Keep the note under %(n)d characters.", n=NOTE_MAX), "note")
    if event.is_draft:
        draft = Conflict(_("Publish the event before its results."))
        if not problems:
            raise draft
        problems.add(draft.message)
    problems.raise_any()
    return note


def publish_results(
    event: Event, actor, *, note: str, now: datetime
) -> ResultsPublication:
    """Freeze the event's results as a new version and show it; flushes."""
    note = check_publication(event, note)
    actor_id, actor_name = actor.id, actor.name or actor.email
    _lock_event(event)
    row = publication_of(event)
    if row is None:
        row = ResultsPublication(event_id=event.id, published_at=now)
    row.note = note
    row.published_by_id = actor_id
    row.updated_at = now
    db.session.add(row)
    data = live_figures(event)
    data["note"] = note
    version = ResultsVersion(
        event_id=event.id,
        number=_last_number(event) + 1,
        published_at=now,
        published_by_id=actor_id,
        published_by_name=actor_name,
        rule_version=counting.RULE_VERSION,
        min_group_size=min_group_size(),
        data=data,
    )
    db.session.add(version)
    db.session.flush()
    announce(event, "results.published", version, now=now)
    return row


def unpublish_results(event: Event) -> bool:
    """Take the public results page down; True if it was up. Flushes.

    The versions stay, visible to the event's organisers only."""
    result = db.session.execute(
        delete(ResultsPublication).where(ResultsPublication.event_id == event.id)
    )
    db.session.flush()
    return bool(result.rowcount)


def _last_number(event: Event) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(ResultsVersion.number), 0)).where(
            ResultsVersion.event_id == event.id
        )
    )


def versions_of(event: Event) -> list[ResultsVersion]:
    """The event's published versions, newest first."""
    return list(
        db.session.scalars(
            select(ResultsVersion)
            .where(ResultsVersion.event_id == event.id)
            .order_by(ResultsVersion.number.desc())
        )
    )


def version_of(event: Event, number: int | None = None) -> ResultsVersion | None:
    """The event's version ``number``, or its latest when None."""
    query = select(ResultsVersion).where(ResultsVersion.event_id == event.id)
    if number is None:
        query = query.order_by(ResultsVersion.number.desc()).limit(1)
    else:
        query = query.where(ResultsVersion.number == number)
    return db.session.scalar(query)


# -- The figures -----------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str | None  # None: the groups folded together
    count: int


def fold_small(counts: dict, labels: dict, other: str | None) -> list[Share]:
    """Groups of at least the threshold by label, the rest summed as ``other``."""
    hidden = hidden_groups(counts)
    shown = [
        Share(labels[key], n) for key, n in counts.items() if n and key not in hidden
    ]
    shown.sort(key=lambda share: -share.count)
    rest = sum(counts[key] for key in hidden)
    if rest:
        shown.append(Share(other, rest))
    return shown


def _input_fields(item: Input) -> dict:
    fields = {name: getattr(item, name) for name in INPUT_FIELDS}
    fields["public_author_name"] = item.public_author_name
    fields["public_author_organisation"] = item.public_author_organisation
    # Not shown: lets an erasure find the name to remove (scrub_author).
    fields["input_id"] = item.id
    return fields


def _translations(row, field: str) -> dict[str, str]:
    """The row's other-language texts of `field`, frozen with the version."""
    return {
        language: texts[field]
        for language, texts in (getattr(row, "translations", None) or {}).items()
        if (texts or {}).get(field)
    }


def live_figures(event: Event, known=None) -> dict:
    """Everything the public page shows, computed now, as JSON-ready data.

    Translatable words are not stored: "other" groups have the label None and
    countries their code, named in the visitor's language when shown. The
    organiser's labels (challenges, stakeholder types) are stored in the
    default language with their translations ("translations": language ->
    text, frozen like the figures), so the page shows them in the visitor's
    language and downloads keep the default-language labels.
    ``known``: the dashboard's data of the same request (dashboard_data), whose
    balance, countries, priorities and input counts are not queried again.
    """
    threshold = min_group_size()
    balance = known.balance if known else stakeholder_balance(event)
    by_type = {row.stakeholder_type.id: row.confirmed for row in balance.types}
    type_rows = {row.stakeholder_type.id: row.stakeholder_type for row in balance.types}
    countries = dict(known.countries if known else queries.countries(event))
    results = known.priorities if known else priority_results(event)
    ballots = {row.type_id: row.ballots for row in results.by_type}
    hidden_ballots = hidden_groups(ballots)
    priorities = None
    priority_types = []
    if results.ballots >= threshold:
        shares = overall_shares(results, places=SHARE_PLACES)
        priorities = {
            "method": results.method,
            "challenges": [
                {
                    "title": c.title,
                    "translations": _translations(c, "title"),
                    "points": results.overall.get(c.id, 0),
                    "share": str(shares[c.id]),
                }
                for c in results.challenges
            ],
        }
        for row in results.by_type:
            if not row.ballots or row.type_id in hidden_ballots:
                continue
            per_type = type_shares(results, row, places=SHARE_PLACES)
            priority_types.append(
                {
                    "label": row.label,
                    "translations": _translations(type_rows.get(row.type_id), "label"),
                    "ballots": row.ballots,
                    "shares": [str(per_type[c.id]) for c in results.challenges],
                }
            )
    items = [item for item, _n in queries.plan_inputs(event) if item.selected_for_plan]
    return {
        "participants": balance.confirmed,
        "organisations": queries.organisation_count(event),
        "countries_count": len([c for c in countries if c]),
        "types": [
            [None, share.count, {}]
            if share.label is None
            else [
                type_rows[share.label].label,
                share.count,
                _translations(type_rows[share.label], "label"),
            ]
            for share in fold_small(by_type, {t: t for t in type_rows}, None)
        ],
        "countries": [
            [share.label, share.count]
            for share in fold_small(countries, {c: c for c in countries}, None)
        ],
        "inputs": queries.input_states(queries.input_counts(event)).get("published", 0),
        "ballots": results.ballots,
        "priorities": priorities,
        "priority_types": priority_types,
        "selected": [
            {
                "challenge": challenge.title if challenge else None,
                "translations": _translations(challenge, "title"),
                "inputs": [_input_fields(i) for i in group],
            }
            for challenge, group in _by_challenge(results.challenges, items)
        ],
        "labels_translated": True,
    }


def _by_challenge(challenges, items) -> list[tuple[object | None, list[Input]]]:
    groups: dict[int | None, list[Input]] = {}
    known = {c.id for c in challenges}
    for item in items:
        key = item.challenge_id if item.challenge_id in known else None
        groups.setdefault(key, []).append(item)
    out = [(c, groups[c.id]) for c in challenges if c.id in groups]
    if None in groups:
        out.append((None, groups[None]))
    return out


def _figures_of(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "note"}


def _without_translations(data: dict) -> dict:
    """Live figures as a version from before translated labels stored them."""
    data = copy.deepcopy(data)
    data.pop("labels_translated", None)
    data["types"] = [row[:2] for row in data["types"]]
    rows = [*(data["priorities"] or {}).get("challenges", []), *data["priority_types"]]
    for row in [*rows, *data["selected"]]:
        row.pop("translations", None)
    return data


def _shown(label: str | None, translations: dict | None, language: str):
    """A stored label in the visitor's language, if it was translated."""
    return (translations or {}).get(language) or label


# -- Reading a version -----------------------------------------------------


@dataclass
class PublicSummary:
    """One published version, ready for the page (labels in today's language)."""

    event: Event
    number: int
    published_at: datetime
    rule_version: str
    min_group: int
    note: str
    participants: int
    organisations: int
    countries_count: int
    types: list[Share]  # visible stakeholder types, then "Other groups"
    countries: list[Share]
    inputs: int
    ballots: int
    priorities: dict | None  # None below the threshold of ballots
    priority_types: list[dict]  # the types shown separately, with their shares
    selected: list[tuple[str | None, list[dict]]]  # challenge title, inputs
    public: bool  # False: the page is down, an organiser is looking

    @property
    def challenge_shares(self) -> list[tuple[str, Decimal]]:
        rows = self.priorities["challenges"] if self.priorities else []
        return [(row["title"], Decimal(row["share"])) for row in rows]


def summary_of(version: ResultsVersion, *, public: bool = True) -> PublicSummary:
    """The page of a frozen version."""
    data = version.data
    language = current_language()
    other_types = _("Other groups (combined)")
    other_countries = _("Other countries (combined)")
    return PublicSummary(
        event=version.event,
        number=version.number,
        published_at=version.published_at,
        rule_version=version.rule_version,
        min_group=version.min_group_size,
        note=data.get("note", ""),
        participants=data["participants"],
        organisations=data["organisations"],
        countries_count=data["countries_count"],
        types=[
            Share(
                other_types
                if row[0] is None
                else _shown(row[0], row[2] if len(row) > 2 else None, language),
                row[1],
            )
            for row in data["types"]
        ],
        countries=[
            Share(
                other_countries
                if code is None
                else (country_name(code) or _("Not given")),
                n,
            )
            for code, n in data["countries"]
        ],
        inputs=data["inputs"],
        ballots=data["ballots"],
        priorities=_localized_priorities(data["priorities"], language),
        priority_types=[
            {**row, "label": _shown(row["label"], row.get("translations"), language)}
            for row in data["priority_types"]
        ],
        selected=[
            (
                _shown(group["challenge"], group.get("translations"), language),
                group["inputs"],
            )
            for group in data["selected"]
        ],
        public=public,
    )


def _localized_priorities(priorities: dict | None, language: str) -> dict | None:
    if priorities is None:
        return None
    challenges = [
        {**row, "title": _shown(row["title"], row.get("translations"), language)}
        for row in priorities["challenges"]
    ]
    return {**priorities, "challenges": challenges}


def public_summary(event: Event, number: int | None = None) -> PublicSummary | None:
    """A published version of the event's results (the latest when ``number``
    is None), or None while the page is down or no such version exists."""
    if publication_of(event) is None:
        return None
    version = version_of(event, number)
    if version is None or version.data is None:
        return None
    return summary_of(version)


# -- The organiser's view --------------------------------------------------


@dataclass
class PublicationStatus:
    public: bool
    latest: ResultsVersion | None
    versions: list[ResultsVersion]
    changed: bool  # the live figures differ from the latest version's


def publication_status(event: Event, known=None) -> PublicationStatus:
    """What the organiser's dashboard says about the public results
    (``known``: see live_figures)."""
    versions = versions_of(event)
    latest = versions[0] if versions else None
    changed = False
    if latest is not None and latest.data is not None:
        live = _json_ready(live_figures(event, known))
        if "labels_translated" not in latest.data:
            live = _without_translations(live)
        changed = _figures_of(latest.data) != live
    return PublicationStatus(
        public=publication_of(event) is not None,
        latest=latest,
        versions=versions,
        changed=changed,
    )


def _json_ready(data: dict) -> dict:
    # What the JSON column gives back: lists for tuples, string keys.
    return json.loads(json.dumps(data))


# -- Before versions: publications frozen at first sight ---------------------


def needs_freezing(event: Event) -> bool:
    """True while a publication made before versions existed is not frozen."""
    return (
        db.session.scalar(
            select(ResultsVersion.id).where(
                ResultsVersion.event_id == event.id, ResultsVersion.data.is_(None)
            )
        )
        is not None
    )


def freeze_migrated(event: Event) -> bool:
    """Freeze the figures of a version the migration made from a publication
    that existed before versions did (``data`` None); True if it wrote. Flushes.

    The migration cannot compute figures (the counting rule is code), so the
    first page that reads the version freezes it with today's rule.
    """
    _lock_event(event)
    pending = list(
        db.session.scalars(
            select(ResultsVersion).where(
                ResultsVersion.event_id == event.id, ResultsVersion.data.is_(None)
            )
        )
    )
    if not pending:
        return False
    publication = publication_of(event)
    figures = live_figures(event)
    for version in pending:
        data = dict(figures)
        data["note"] = publication.note if publication else ""
        version.data = data
        version.rule_version = counting.RULE_VERSION
        version.min_group_size = min_group_size()
    db.session.flush()
    return True


# -- Erasure ---------------------------------------------------------------


def scrub_author(registration: Registration) -> int:
    """Remove the name and organisation of the registration's inputs from every
    stored version of its event; the number of versions changed. Flushes."""
    ids = set(
        db.session.scalars(
            select(Input.id).where(Input.registration_id == registration.id)
        )
    )
    return _unname(registration.event, ids)


def scrub_input(item: Input) -> int:
    """Remove the input's author name from every stored version (its author
    withdrew their consent to be named); the number of versions changed."""
    return _unname(item.event, {item.id})


def _unname(event: Event, ids: set[int]) -> int:
    if not ids:
        return 0
    changed = 0
    for version in versions_of(event):
        if version.data is None:
            continue
        data = copy.deepcopy(version.data)
        touched = False
        for group in data.get("selected", []):
            for item in group["inputs"]:
                if item.get("input_id") in ids and (
                    item.get("public_author_name")
                    or item.get("public_author_organisation")
                ):
                    item["public_author_name"] = None
                    item["public_author_organisation"] = None
                    touched = True
        if touched:
            version.data = data  # a new object: the JSON column sees the change
            changed += 1
    db.session.flush()
    return changed


on_erase(scrub_author)
on_unnamed(scrub_input)
