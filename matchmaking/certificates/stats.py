"""Programme statistics counted from the register (specs/certificate-register.md).

A registered product (a lineage of entries) counts once: `recognised` when a province or the
centre rated it 3-5 stars on or before `as_of`, in the star bucket of its latest such rating, and
`valid` when that rating's certificate is still in force on `as_of`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from config.i18n import gettext as _
from matchmaking.catalogue.import_columns import resolve
from matchmaking.certificates.keys import name_key
from matchmaking.enums import DecisionLevel
from matchmaking.errors import ValidationFailed
from matchmaking.models import CertificateEntry
from matchmaking.parsing import parse_day, parse_whole
from matchmaking.places import LEGACY_PROVINCES, resolve_province, short_province_name

STARS = ("3", "4", "5")
FIELDS = ("lineage", "decision_date", "level", "province_recorded", "province_code",
          "producer_key", "producer_kind", "tax_code", "group", "subgroup", "stars", "expiry")


StarsJson = TypedDict("StarsJson", {"3": int, "4": int, "5": int})


class TallyJson(TypedDict):
    products: int
    producers: int
    stars: StarsJson


class ProvinceTallyJson(TypedDict):
    products: int
    stars: StarsJson


class KindTallyJson(TypedDict):
    producers: int
    products: int


class CertificateStatsJson(TypedDict):
    """As shared/specs/certificate-register.md fixes it."""

    as_of: str
    recognised: TallyJson
    valid: TallyJson
    by_province: dict[str, ProvinceTallyJson]
    by_group: dict[str, int]
    by_producer_kind: dict[str, KindTallyJson]


@dataclass(frozen=True)
class StatsQuery:
    """What to count: as of a day, optionally for one province (current code or old name), the
    decisions of one year, one product group."""

    as_of: date
    province_code: int | None = None
    province_recorded: str | None = None
    year: int | None = None
    group: str | None = None


def parse_stats_query(params: Mapping[str, str], *, today: date) -> StatsQuery:
    """The query string of /api/stats/certificates; ValidationFailed names each wrong parameter."""
    errors: dict[str, str] = {}
    as_of = parse_day(params["as_of"]) if params.get("as_of") else today
    if as_of is None:
        errors["as_of"] = _("Enter a date as yyyy-mm-dd or dd/mm/yyyy.")
    province_code, recorded = None, None
    if text := (params.get("province") or "").strip():
        recorded = next((old for old in LEGACY_PROVINCES if name_key(old) == name_key(text)), None)
        province_code = None if recorded else resolve_province(text)
        if recorded is None and province_code is None:
            errors["province"] = _("Unknown province: write its name, old or new, or its code.")
    year = parse_whole(params["year"]) if params.get("year") else None
    if params.get("year") and (year is None or not 1990 <= year <= 2100):
        errors["year"] = _("The year is a number such as 2022.")
    group = resolve("group", params["group"]) if params.get("group") else None
    if params.get("group") and group is None:
        errors["group"] = _("Unknown product group: use one of the six OCOP groups.")
    if errors:
        raise ValidationFailed(errors)
    assert as_of is not None
    return StatsQuery(as_of=as_of, province_code=province_code, province_recorded=recorded,
                      year=year, group=group)


def _stars() -> dict[str, int]:
    return dict.fromkeys(STARS, 0)


@dataclass
class Tally:
    """Products (and their producers) counted by star."""

    products: int = 0
    producer_keys: set[tuple[int, str]] = field(default_factory=set)
    stars: dict[str, int] = field(default_factory=_stars)

    def add(self, row: Mapping[str, Any]) -> None:
        self.products += 1
        self.producer_keys.add((row["province_code"], row["producer_key"]))
        self.stars[str(row["stars"])] += 1

    def star_json(self) -> StarsJson:
        return {"3": self.stars["3"], "4": self.stars["4"], "5": self.stars["5"]}

    def as_json(self) -> TallyJson:
        return {"products": self.products, "producers": len(self.producer_keys),
                "stars": self.star_json()}


@dataclass
class CertificateStats:
    """The spec's answer, and the officer's fuller breakdowns (sub-group, province as now,
    decision year) that the page and the XLSX export show."""

    as_of: date
    recognised: Tally = field(default_factory=Tally)
    valid: Tally = field(default_factory=Tally)
    by_province: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_province_now: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_group: Counter[str] = field(default_factory=Counter)
    by_subgroup: Counter[str] = field(default_factory=Counter)
    by_year: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def as_json(self) -> CertificateStatsJson:
        """Exactly the spec's shape."""
        return {
            "as_of": self.as_of.isoformat(),
            "recognised": self.recognised.as_json(),
            "valid": self.valid.as_json(),
            "by_province": {name: {"products": t.products, "stars": t.star_json()}
                            for name, t in sorted(self.by_province.items())},
            "by_group": dict(sorted(self.by_group.items())),
            "by_producer_kind": {kind: {"producers": len(t.producer_keys), "products": t.products}
                                 for kind, t in sorted(self.by_kind.items())},
        }


def _latest_ratings(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    latest: dict[int, Mapping[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["decision_date"], r["lineage"])):
        latest[row["lineage"]] = row
    return list(latest.values())


async def certificate_stats(query: StatsQuery) -> CertificateStats:
    """Count the register for `query` (public: the register is the programme's public record)."""
    rows = CertificateEntry.filter(decision_date__lte=query.as_of, stars__gte=3).exclude(
        level=DecisionLevel.DISTRICT)
    if query.province_recorded is not None:
        rows = rows.filter(province_recorded=query.province_recorded)
    elif query.province_code is not None:
        rows = rows.filter(province_code=query.province_code)
    if query.year is not None:
        rows = rows.filter(decision_date__gte=date(query.year, 1, 1),
                           decision_date__lte=date(query.year, 12, 31))
    if query.group is not None:
        rows = rows.filter(group=query.group)
    found = await rows.values(*FIELDS)
    stats = CertificateStats(as_of=query.as_of)
    for row in _latest_ratings(found):
        expiry = row["expiry"]
        expiry = date.fromisoformat(expiry) if isinstance(expiry, str) else expiry
        stats.recognised.add(row)
        if expiry >= query.as_of:
            stats.valid.add(row)
        stats.by_province[row["province_recorded"]].add(row)
        stats.by_province_now[short_province_name(row["province_code"])].add(row)
        stats.by_group[row["group"]] += 1
        if row["subgroup"]:
            stats.by_subgroup[row["subgroup"]] += 1
        decided = row["decision_date"]
        stats.by_year[int(str(decided)[:4])].add(row)
        stats.by_kind[row["producer_kind"] or "unknown"].add(row)
    return stats
