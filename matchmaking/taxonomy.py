"""The six OCOP product groups (Decision 148/QĐ-TTg), their sub-groups and sales units."""

from __future__ import annotations

from matchmaking import units
from matchmaking.enums import ProductGroup

SUBGROUPS: dict[ProductGroup, tuple[str, ...]] = {
    ProductGroup.FOOD: ("fresh_produce", "processed_food", "condiments"),
    ProductGroup.BEVERAGES: ("tea", "coffee", "alcoholic", "non_alcoholic"),
    ProductGroup.HERBAL: ("herbal_food", "herbal_cosmetics", "herbal_medicine"),
    ProductGroup.TEXTILES: ("brocade", "garments"),
    ProductGroup.HANDICRAFTS: ("bamboo_rattan", "ceramics", "wood", "lacquer", "other_crafts"),
    ProductGroup.TOURISM: ("homestay", "community_tourism"),
}

UNITS = units.UNITS  # the units of sale, as matchmaking.units converts them


def group_of(subgroup: str) -> ProductGroup | None:
    """The group a sub-group code belongs to, or None if the code is unknown."""
    for group, codes in SUBGROUPS.items():
        if subgroup in codes:
            return group
    return None
