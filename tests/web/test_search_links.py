"""The search page's facet links, encoded once per facet, equal the one-link-at-a-time URLs."""

from __future__ import annotations

import pytest

from matchmaking.enums import ProducerKind, ProductGroup, QualityMark
from search.query import ProductQuery, ProductResults
from web.views.search import SearchPage

FACETS = {
    "group": {"beverages": 12, "food": 30, "herbal": 2},
    "province": {"8": 5, "1": 9, "79": 1},
    "stars": {"3": 4, "4": 6, "5": 2},
    "mark": {"organic": 7, "vietgap": 3, "gi": 1},
    "producer_kind": {"cooperative": 20, "household": 4},
}

QUERIES = [
    ProductQuery(),
    ProductQuery(q="trà shan & \"cổ thụ\" = 100% + 1"),
    ProductQuery(q="chè", group=ProductGroup.BEVERAGES, subgroup="tea", province=8, min_stars=4,
                 certified=False, marks=(QualityMark.ORGANIC,), producer_kind=ProducerKind.HOUSEHOLD,
                 price_min=10_000, price_max=500_000, sort="price_asc", page=3, per_page=50),
    # The visitor's own text holds the code the links are encoded around.
    ProductQuery(q="a\x00b", marks=(QualityMark.GI, QualityMark.VIETGAP)),
]


def _one_at_a_time(page: SearchPage, name: str, value: str | int) -> str:
    """The link as the page drew it before: one query-string build per value."""
    query = page.query
    if name == "group":
        return page.link(group=None if query.group == value else value, subgroup=None)
    if name == "province":
        return page.link(province=None if str(query.province) == value else int(value))
    if name == "stars":
        return page.link(min_stars=None if query.min_stars == value else value)
    if name == "mark":
        return page.mark_link(str(value))
    return page.link(producer_kind=None if query.producer_kind == value else value)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("name", list(FACETS))
def test_facet_links_equal_links_built_one_at_a_time(query: ProductQuery, name: str) -> None:
    results = ProductResults(hits=[], total=44, facets=FACETS, page=query.page, per_page=query.per_page)
    page = SearchPage(query, results, errors={}, popular_groups=[])

    rows = page.facet_values(name)

    assert [row.href for row in rows] == [_one_at_a_time(page, name, row.value) for row in rows]
    chosen = {"group": query.group, "province": query.province, "stars": query.min_stars,
              "producer_kind": query.producer_kind}
    expected = ([str(row.value) in query.marks for row in rows] if name == "mark"
                else [str(row.value) == str(chosen[name]) for row in rows])
    assert [row.chosen for row in rows] == expected


def test_facet_values_come_most_frequent_first_and_stars_from_five_down() -> None:
    results = ProductResults(hits=[], total=44, facets=FACETS, page=1, per_page=20)
    page = SearchPage(ProductQuery(), results, errors={}, popular_groups=[])

    assert [(row.value, row.count) for row in page.facet_values("group")] == [
        ("food", 30), ("beverages", 12), ("herbal", 2)]
    assert [(row.value, row.count) for row in page.facet_values("stars")] == [
        (5, 2), (4, 8), (3, 12)]
