"""The open-data files: what the public results page and the library show, as data.

The results come from the version the public page serves
(``dashboard.services.publication``): the same figures, the same groups under
the threshold folded together, the same inputs with the same fields. Labels
are in the site's default language, so a file is the same for everyone.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from flask_babel import force_locale

from consult.categories import category_label
from consult.dashboard.services.dashboard import publication_of
from consult.dashboard.services.publication import summary_of, version_of
from consult.exports import csv_text
from consult.library.models import LibraryEntry
from consult.library.services.search import public_entries
from consult.timeutil import iso_utc

LIBRARY_BATCH = 500
# The fields of a selected input the results page shows, by its kind
# (templates/dashboard/_input.html).
_ALWAYS = ("title", "kind", "body")
_BY_KIND = {
    "best_practice": ("organisation", "city", "country", "period", "results"),
    "pilot_proposal": ("lead", "timeline"),
}


def _input(item: dict) -> dict:
    shown = {name: item.get(name) for name in _ALWAYS}
    for name in _BY_KIND.get(item.get("kind"), ()):
        shown[name] = item.get(name) or ""
    shown["author"] = item.get("public_author_name") or None
    shown["author_organisation"] = (
        item.get("public_author_organisation") or None if shown["author"] else None
    )
    shown["is_expert"] = bool(item.get("is_expert")) if shown["author"] else None
    return shown


def published_results(event) -> dict | None:
    """The public results of an event as data, or None while they are not public."""
    if publication_of(event) is None:
        return None
    version = version_of(event)
    if version is None or version.data is None:
        return None
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        summary = summary_of(version)
        codes = [code for code, _n in version.data["countries"]]
        countries = [
            {"code": code, "name": share.label, "participants": share.count}
            for code, share in zip(codes, summary.countries, strict=True)
        ]
    types = [
        {
            "label": share.label,
            "participants": share.count,
            "combined": row[0] is None,
        }
        for share, row in zip(summary.types, version.data["types"], strict=True)
    ]
    priorities = None
    if summary.priorities is not None:
        priorities = {
            "method": summary.priorities["method"],
            "challenges": [
                {"title": row["title"], "points": row["points"], "share": row["share"]}
                for row in summary.priorities["challenges"]
            ],
        }
    by_type = summary.priority_types if len(summary.priority_types) > 1 else []
    return {
        "event": {"slug": event.slug, "title": event.title},
        "version": summary.number,
        "published_at": iso_utc(summary.published_at),
        "counting_rule": summary.rule_version,
        "min_group_size": summary.min_group,
        "note": summary.note,
        "participants": summary.participants,
        "organisations": summary.organisations,
        "countries_count": summary.countries_count,
        "published_inputs": summary.inputs,
        "priority_ballots": summary.ballots,
        "stakeholder_types": types,
        "countries": countries,
        "priorities": priorities,
        "priorities_by_type": [
            {"label": row["label"], "ballots": row["ballots"], "shares": row["shares"]}
            for row in by_type
        ],
        "selected_inputs": [
            {"challenge": title, "inputs": [_input(item) for item in items]}
            for title, items in summary.selected
        ],
    }


def results_csv(data: dict) -> str:
    """The published figures as one table: section, label, code, count, share."""
    rows: list[list] = [
        ["participants", "", "", data["participants"], ""],
        ["organisations", "", "", data["organisations"], ""],
        ["countries", "", "", data["countries_count"], ""],
        ["published_inputs", "", "", data["published_inputs"], ""],
        ["priority_ballots", "", "", data["priority_ballots"], ""],
    ]
    rows += [
        ["stakeholder_type", t["label"], "", t["participants"], ""]
        for t in data["stakeholder_types"]
    ]
    rows += [
        ["country", c["name"], c["code"] or "", c["participants"], ""]
        for c in data["countries"]
    ]
    for row in (data["priorities"] or {}).get("challenges", []):
        rows.append(["priority", row["title"], "", row["points"], row["share"]])
    for group in data["selected_inputs"]:
        for item in group["inputs"]:
            rows.append(
                ["selected_input", item["title"], group["challenge"] or "", "", ""]
            )
    return _csv(["section", "label", "code", "count", "share"], rows)


def _csv(header: list[str], rows: list[list]) -> str:
    # Cells that a spreadsheet would run as formulas are neutralised.
    return csv_text(header, rows)


LIBRARY_FIELDS = (
    "id",
    "type",
    "title",
    "summary",
    "body",
    "results",
    "organisation",
    "city",
    "country",
    "period",
    "category",
    "category_label",
    "is_expert",
    "author",
    "author_organisation",
    "event_slug",
    "challenge",
    "links",
    "published_at",
)


def library_entries() -> Iterator[dict]:
    """Every public library entry, newest first, with what its page shows."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for entry in public_entries(batch=LIBRARY_BATCH):
            yield _entry(entry)


def _entry(entry: LibraryEntry) -> dict:
    author = entry.input.public_author_name if entry.input else None
    return {
        "id": entry.id,
        "type": "resource" if entry.is_resource else "best_practice",
        "title": entry.title,
        "summary": entry.summary,
        "body": entry.body,
        "results": entry.results,
        "organisation": entry.organisation,
        "city": entry.city,
        "country": entry.country or None,
        "period": entry.period,
        "category": entry.category or None,
        "category_label": category_label(entry.category) if entry.category else None,
        "is_expert": entry.is_expert,
        "author": author or None,
        "author_organisation": (
            entry.input.public_author_organisation or None if author else None
        ),
        "event_slug": entry.event.slug,
        "challenge": entry.challenge.title if entry.challenge else None,
        "links": entry.link_list,
        "published_at": iso_utc(entry.published_at),
    }


def library_csv(entries: list[dict]) -> str:
    """The library as one table, links separated by spaces."""
    rows = []
    for entry in entries:
        row = dict(entry, links=" ".join(entry["links"]))
        row["is_expert"] = "true" if entry["is_expert"] else "false"
        rows.append(["" if row[name] is None else row[name] for name in LIBRARY_FIELDS])
    return _csv(list(LIBRARY_FIELDS), rows)
