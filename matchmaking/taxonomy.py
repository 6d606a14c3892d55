"""The six OCOP product groups of Decision 148/QĐ-TTg, their groups and sub-groups, and units.

The classification is data (matchmaking/data/taxonomy-148.json), so that it can follow the
annex and be corrected without code; it also maps the 2019 list's codes (Decision 1048, which
had textiles as a group of its own) to the current ones.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from matchmaking import units
from matchmaking.enums import ProductGroup

DATA = Path(__file__).parent / "data" / "taxonomy-148.json"


@cache
def classification() -> dict[str, Any]:
    """The data file as it is: groups with their groups (nhóm) and sub-groups (phân nhóm)."""
    with DATA.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _subgroups() -> dict[ProductGroup, tuple[str, ...]]:
    return {
        ProductGroup(group["code"]): tuple(
            sub["code"] for part in group["groups"] for sub in part["subgroups"])
        for group in classification()["groups"]
    }


SUBGROUPS: dict[ProductGroup, tuple[str, ...]] = _subgroups()
# Codes of the 2019 list and the current code each became.
GROUPS_FROM_2019: dict[str, str] = dict(classification()["from_2019"]["groups"])
SUBGROUPS_FROM_2019: dict[str, str] = dict(classification()["from_2019"]["subgroups"])

UNITS = units.UNITS  # the units of sale, as matchmaking.units converts them


def group_of(subgroup: str) -> ProductGroup | None:
    """The group a sub-group code belongs to, or None if the code is unknown."""
    for group, codes in SUBGROUPS.items():
        if subgroup in codes:
            return group
    return None


def current_group(code: str) -> str:
    """A group code, with a 2019 code mapped to the current one ('textiles' -> 'handicrafts')."""
    return GROUPS_FROM_2019.get(code, code)
