"""Decision 148/QĐ-TTg's classification as data: six groups, their groups and sub-groups."""

from __future__ import annotations

from matchmaking.catalogue.import_columns import resolve
from matchmaking.enums import ProductGroup
from matchmaking.taxonomy import SUBGROUPS, classification, current_group, group_of


def test_six_groups_of_decision_148_with_groups_and_subgroups() -> None:
    groups = classification()["groups"]
    assert [g["code"] for g in groups] == ["food", "beverages", "herbal", "handicrafts",
                                           "ornamental", "tourism"]
    assert {ProductGroup(g["code"]) for g in groups} == set(ProductGroup)
    assert all(g["groups"] and all(part["subgroups"] for part in g["groups"]) for g in groups)
    codes = [code for subgroups in SUBGROUPS.values() for code in subgroups]
    assert len(codes) == len(set(codes))


def test_2019_textiles_are_handicrafts_now() -> None:
    assert current_group("textiles") == "handicrafts"
    assert group_of("brocade") == ProductGroup.HANDICRAFTS
    assert resolve("group", "Vải và may mặc") == "handicrafts"
    assert resolve("group", "Sinh vật cảnh") == "ornamental"
    assert resolve("subgroup", "cây cảnh") == "bonsai"
