"""Time-zone names people choose from: canonical names, likely ones first.

The IANA database keeps hundreds of old names as links ("backward" aliases
such as Asia/Calcutta or Europe/Kiev) so that old data keeps working. Offered
in a picker they double the list and invite the deprecated spelling, so the
pickers offer zone.tab's names (one or more per country, as the tz project
recommends for user interfaces) plus UTC, and every other name that the
database knows is read as the canonical zone it links to.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

# Where the reference case's people are: the host city and the European
# partner cities, after the zones a page puts first (the event's own).
LIKELY = (
    "Asia/Kuala_Lumpur",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Paris",
    "Europe/Warsaw",
    "Europe/Vienna",
    "Europe/Ljubljana",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Copenhagen",
    "Europe/Dublin",
    "Europe/London",
    "UTC",
)
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT",
              "Universal", "Zulu", "GMT", "Etc/GMT", "GMT0", "GMT+0", "GMT-0",
              "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Greenwich", "Etc/Greenwich"}  # fmt: skip


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")


@lru_cache(maxsize=1)
def canonical_zones() -> tuple[str, ...]:
    """zone.tab's zone names plus UTC, sorted."""
    names = {
        line.split("\t")[2]
        for line in _tzdata_text("zone.tab").splitlines()
        if line and not line.startswith("#")
    }
    return tuple(sorted(names | {"UTC"}))


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Every accepted spelling, lower-cased, -> its canonical zone."""
    canonical = set(canonical_zones())
    table: dict[str, str] = {}
    # tzdata.zi lines "L TARGET LINK": LINK is another name for TARGET.
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()
            if target in canonical:
                table[link.lower()] = target
    for name in _UTC_NAMES:
        table[name.lower()] = "UTC"
    for name in canonical:
        table[name.lower()] = name
        table[name.replace("_", " ").lower()] = name
    # A city alone ("Berlin", "kuala lumpur") when only one zone has it.
    cities: dict[str, list[str]] = {}
    for name in canonical:
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        cities.setdefault(city, []).append(name)
    for city, names in cities.items():
        if len(names) == 1:
            table.setdefault(city, names[0])
    return table


def canonical_zone(text: str | None) -> str | None:
    """The canonical zone for a name, an alias or a unique city; else None."""
    if not text:
        return None
    key = " ".join(text.strip().split()).lower()
    return _lookup().get(key) or _lookup().get(key.replace(" ", "_"))


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, str]:
    # zone.tab's order is not by population (Australia's first is Lord Howe,
    # Ukraine's Simferopol), so a country's zone is only assumed when all its
    # zones keep the same time (Germany's Berlin and Busingen, Malaysia's two),
    # checked at a winter and a summer instant of either hemisphere.
    zones: dict[str, list[str]] = {}
    for line in _tzdata_text("zone.tab").splitlines():
        if line and not line.startswith("#"):
            code, _coords, name = line.split("\t")[:3]
            zones.setdefault(code, []).append(name)
    samples = (
        datetime(2025, 1, 15, 12, tzinfo=UTC),
        datetime(2025, 7, 15, 12, tzinfo=UTC),
    )

    def offsets(name: str) -> tuple:
        return tuple(
            sample.astimezone(ZoneInfo(name)).utcoffset() for sample in samples
        )

    return {
        code: names[0]
        for code, names in zones.items()
        if len({offsets(name) for name in names}) == 1
    }


def country_zone(code: str | None) -> str | None:
    """The zone of a country that has one ('DE' -> Europe/Berlin), else None."""
    return _country_zones().get((code or "").upper())


@lru_cache(maxsize=64)
def zones_in_order(first: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every canonical zone: `first` (canonicalised), the likely ones, the rest."""
    head: list[str] = []
    for name in (*first, *LIKELY):
        zone = canonical_zone(name)
        if zone and zone not in head:
            head.append(zone)
    taken = set(head)
    return (*head, *(z for z in canonical_zones() if z not in taken))
