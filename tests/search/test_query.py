"""Product search: Vietnamese matching, filters, facets, certificates by date, safe highlights,
and the database fallback when Meilisearch is down."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import Markup

from matchmaking.enums import ProducerKind, ProductGroup, ProductStatus, QualityMark
from matchmaking.errors import ValidationFailed
from matchmaking.models import SearchOutbox
from matchmaking.places import resolve_province
from search.client import SearchClient
from search.errors import SearchUnavailable
from search.fallback import database_search, find_products
from search.indexer import enqueue_lapsed_certificates, reindex
from search.query import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    ProductQuery,
    parse_product_query,
    safe_highlight,
    search_products,
)
from tests.factories import make_producer, make_product

TODAY = date.today()
TUYEN_QUANG = resolve_province("Tuyên Quang")
HANOI = resolve_province("Hà Nội")


async def product(name: str, producer: object = None, **fields: object):  # type: ignore[no-untyped-def]
    """A product whose producer's name matches no test query (the factory's mentions chè)."""
    return await make_product(producer or await neutral_producer(), name=name, **fields)


async def neutral_producer(**fields: object):  # type: ignore[no-untyped-def]
    return await make_producer(**{"name": "Cơ sở Bình Minh", **fields})


def dead_client(search: SearchClient, port: int) -> SearchClient:
    return SearchClient(f"http://127.0.0.1:{port}", "key", prefix=search.prefix, timeout=1)


async def names(search: SearchClient, **fields: object) -> list[str]:
    results = await search_products(search, ProductQuery(**fields), today=TODAY)  # type: ignore[arg-type]
    return [hit.name for hit in results.hits]


async def expired_product(name: str, **fields: object):  # type: ignore[no-untyped-def]
    decided = TODAY - timedelta(days=4 * 365)
    return await product(name, decision_date=decided,
                              certificate_expiry=decided + timedelta(days=3 * 365), **fields)


async def test_search_che_finds_tra_by_synonym(db: str, search: SearchClient) -> None:
    await product("Trà Shan tuyết cổ thụ")
    await product("Mật ong bạc hà", group=ProductGroup.FOOD, subgroup="processed_food")
    await reindex(search, today=TODAY)

    assert await names(search, q="chè shan tuyết") == ["Trà Shan tuyết cổ thụ"]
    assert await names(search, q="che") == ["Trà Shan tuyết cổ thụ"]


async def test_search_without_accents_finds_accented_names(db: str, search: SearchClient) -> None:
    await product("Trà Shan tuyết cổ thụ")
    await product("Đậu đen xanh lòng", group=ProductGroup.FOOD, subgroup="fresh_produce")
    await reindex(search, today=TODAY)

    assert await names(search, q="tra shan tuyet") == ["Trà Shan tuyết cổ thụ"]
    assert await names(search, q="dau den") == ["Đậu đen xanh lòng"]


async def test_search_tolerates_a_typo(db: str, search: SearchClient) -> None:
    await product("Cam Cao Phong", group=ProductGroup.FOOD, subgroup="fresh_produce")
    await reindex(search, today=TODAY)

    assert await names(search, q="phongg") == ["Cam Cao Phong"]


async def test_facets_count_the_matching_products(db: str, search: SearchClient) -> None:
    north = await neutral_producer(province_code=TUYEN_QUANG, ward_code=None)
    capital = await neutral_producer(province_code=HANOI, kind=ProducerKind.ENTERPRISE)
    await product(producer=north, name="Trà xanh", stars=5, quality_marks=["vietgap", "organic"])
    await product(producer=north, name="Trà đen", stars=3, quality_marks=["vietgap"])
    await product(producer=capital, name="Trà sen Tây Hồ", stars=4)
    await product(producer=capital, name="Bánh cốm", group=ProductGroup.FOOD, subgroup="processed_food")
    await reindex(search, today=TODAY)

    results = await search_products(search, ProductQuery(q="trà"), today=TODAY)

    assert results.total == 3
    assert results.facets["group"] == {"beverages": 3}
    assert results.facets["province"] == {str(TUYEN_QUANG): 2, str(HANOI): 1}
    assert results.facets["stars"] == {"3": 1, "4": 1, "5": 1}
    assert results.facets["mark"] == {"vietgap": 2, "organic": 1}
    assert results.facets["producer_kind"] == {"cooperative": 2, "enterprise": 1}


async def test_province_filter_accepts_an_old_name(db: str, search: SearchClient) -> None:
    north = await neutral_producer(province_code=TUYEN_QUANG, ward_code=None)
    await product(producer=north, name="Trà Shan tuyết Hà Giang")
    await product(producer=await neutral_producer(province_code=HANOI), name="Trà sen Tây Hồ")
    await reindex(search, today=TODAY)

    query = parse_product_query({"q": ["tra"], "province": ["Ha Giang"]})

    assert query.province == TUYEN_QUANG
    assert [h.name for h in (await search_products(search, query, today=TODAY)).hits] == [
        "Trà Shan tuyết Hà Giang"
    ]


async def test_filters_combine(db: str, search: SearchClient) -> None:
    household = await neutral_producer(kind=ProducerKind.HOUSEHOLD)
    await product(producer=household, name="Trà A", price_vnd=100_000, stars=4, quality_marks=["vietgap"])
    await product(producer=household, name="Trà B", price_vnd=300_000, stars=4, quality_marks=["vietgap"])
    await product(producer=household, name="Trà C", price_vnd=200_000, stars=3, quality_marks=["vietgap"])
    await product("Trà D", price_vnd=250_000, stars=5, quality_marks=["vietgap", "gi"])
    await reindex(search, today=TODAY)

    assert await names(search, q="tra", producer_kind=ProducerKind.HOUSEHOLD, min_stars=4,
                       price_max=250_000) == ["Trà A"]
    assert await names(search, marks=(QualityMark.VIETGAP, QualityMark.GI)) == ["Trà D"]
    assert await names(search, sort="price_asc", price_min=150_000) == ["Trà C", "Trà D", "Trà B"]
    assert await names(search, sort="price_desc", per_page=2, page=2) == ["Trà C", "Trà A"]


async def test_expired_certificate_is_found_but_ranked_below_certified(
    db: str, search: SearchClient
) -> None:
    expired = await expired_product("Mật ong bạc hà Mèo Vạc", stars=5)
    valid = await product("Mật ong bạc hà Mèo Vạc", stars=3)
    await reindex(search, today=TODAY)

    results = await search_products(search, ProductQuery(q="mat ong bac ha"), today=TODAY)

    assert [(h.id, h.certified) for h in results.hits] == [(valid.id, True), (expired.id, False)]
    assert await names(search, certified=True) == ["Mật ong bạc hà Mèo Vạc"]
    only_expired = await search_products(search, ProductQuery(certified=False), today=TODAY)
    assert [h.id for h in only_expired.hits] == [expired.id]


async def test_certificate_lapsing_after_indexing_counts_as_expired(
    db: str, search: SearchClient
) -> None:
    lapsing = await product("Rượu ngô Bắc Hà", certificate_expiry=TODAY + timedelta(days=2))
    await reindex(search, today=TODAY)
    later = TODAY + timedelta(days=3)

    filtered = await search_products(search, ProductQuery(certified=True), today=later)
    found = await search_products(search, ProductQuery(q="ruou ngo"), today=later)

    assert filtered.total == 0
    assert [(h.id, h.certified) for h in found.hits] == [(lapsing.id, False)]


async def test_lapsed_certificates_are_queued_for_reindexing(db: str) -> None:
    lapsed = await make_product(certificate_expiry=TODAY - timedelta(days=1))
    await make_product(certificate_expiry=TODAY - timedelta(days=30))
    await make_product(certificate_expiry=TODAY - timedelta(days=1), status=ProductStatus.DRAFT)
    await make_product()

    assert await enqueue_lapsed_certificates(today=TODAY) == 1
    assert await SearchOutbox.all().values_list("entity_id", flat=True) == [lapsed.id]


async def test_highlight_escapes_the_text_and_keeps_only_marks(db: str, search: SearchClient) -> None:
    await product("<script>alert(1)</script> Trà", description="<b>Đặc sản</b> Trà & bánh")
    await reindex(search, today=TODAY)

    hit = (await search_products(search, ProductQuery(q="tra"), today=TODAY)).hits[0]

    assert hit.name == "<script>alert(1)</script> Trà"
    assert hit.name_html == Markup("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Trà</mark>")
    assert hit.snippet_html == Markup("&lt;b&gt;Đặc sản&lt;/b&gt; <mark>Trà</mark> &amp; bánh")


def test_safe_highlight_drops_unbalanced_tags_from_the_text() -> None:
    assert safe_highlight(f"a<b>{HIGHLIGHT_PRE}x{HIGHLIGHT_POST}") == Markup("a&lt;b&gt;<mark>x</mark>")
    assert safe_highlight(f"{HIGHLIGHT_PRE}x{HIGHLIGHT_PRE}y{HIGHLIGHT_POST}") == Markup("xy")


def test_parse_reports_every_bad_parameter() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_product_query({
            "group": ["drinks"], "province": ["Atlantis"], "min_stars": ["6"], "certified": ["maybe"],
            "mark": ["vietgap,halal"], "producer_kind": ["co-op"], "price_min": ["cheap"],
            "sort": ["random"], "page": ["0"], "per_page": ["500"], "q": ["x" * 201],
        })
    assert sorted(caught.value.errors) == sorted([
        "group", "province", "min_stars", "certified", "mark", "producer_kind", "price_min",
        "sort", "page", "per_page", "q",
    ])


def test_parse_reads_forms_and_vietnamese_prices() -> None:
    query = parse_product_query({
        "q": ["  tra   shan "], "group": [""], "mark": ["vietgap", "organic,vietgap"],
        "price_min": ["120.000"], "price_max": ["1.500.000 ₫"], "certified": ["on"], "page": ["2"],
    })
    assert query == ProductQuery(q="tra shan", marks=(QualityMark.VIETGAP, QualityMark.ORGANIC),
                                 price_min=120_000, price_max=1_500_000, certified=True, page=2)
    assert query.to_params(page=3) == [
        ("q", "tra shan"), ("price_min", "120000"), ("price_max", "1500000"), ("certified", "true"),
        ("mark", "vietgap"), ("mark", "organic"), ("page", "3"),
    ]


def test_parse_rejects_a_price_range_upside_down() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_product_query({"price_min": ["500000"], "price_max": ["100000"]})
    assert list(caught.value.errors) == ["price_max"]


async def test_unreachable_search_falls_back_to_the_database(
    db: str, search: SearchClient, free_port: int
) -> None:
    north = await neutral_producer(province_code=TUYEN_QUANG, ward_code=None)
    await product(producer=north, name="Trà Shan tuyết cổ thụ", quality_marks=["organic"])
    await product(producer=north, name="Đậu đen xanh lòng", group=ProductGroup.FOOD, subgroup="fresh_produce")
    await expired_product("Chè búp Thái Nguyên")
    await product("Trà nháp", status=ProductStatus.DRAFT)
    dead = dead_client(search, free_port)

    with pytest.raises(SearchUnavailable):
        await search_products(dead, ProductQuery(q="tra"), today=TODAY)
    results = await find_products(dead, ProductQuery(q="che"), today=TODAY)

    assert results.degraded is True
    assert [(h.name, h.certified) for h in results.hits] == [
        ("Trà Shan tuyết cổ thụ", True), ("Chè búp Thái Nguyên", False),
    ]
    assert results.hits[0].name_html == Markup("<mark>Trà</mark> Shan tuyết cổ thụ")
    assert results.facets["group"] == {"beverages": 2}
    assert [h.name for h in (await find_products(dead, ProductQuery(q="dau den"), today=TODAY)).hits] \
        == ["Đậu đen xanh lòng"]
    filtered = await find_products(
        dead, ProductQuery(province=TUYEN_QUANG, marks=(QualityMark.ORGANIC,)), today=TODAY
    )
    assert [h.name for h in filtered.hits] == ["Trà Shan tuyết cổ thụ"]


async def test_database_search_escapes_and_pages(db: str) -> None:
    for n in range(3):
        await product(f"<i>Trà</i> {n}", price_vnd=100_000 * (n + 1))

    results = await database_search(ProductQuery(q="tra", sort="price_desc", per_page=2, page=2),
                                    today=TODAY)

    assert results.total == 3
    assert [h.name_html for h in results.hits] == [Markup("&lt;i&gt;<mark>Trà</mark>&lt;/i&gt; 0")]


def test_a_province_in_the_search_text_is_a_filter_not_words() -> None:
    query = parse_product_query({"q": ["chè Hà Giang"]})
    assert (query.q, query.province, query.place) == ("chè", TUYEN_QUANG, "Hà Giang")
    assert parse_product_query({"q": ["nuoc mam phu quoc"]}).q == "nuoc mam phu quoc"
    assert parse_product_query({"q": ["Phú Quốc nước mắm"]}).q == "nước mắm Phú Quốc"
    chosen = parse_product_query({"q": ["chè Hà Giang"], "province": ["Hà Nội"]})
    assert (chosen.q, chosen.province) == ("chè Hà Giang", HANOI)


async def test_che_ha_giang_finds_tea_from_there_not_a_producer_called_giang(
    db: str, search: SearchClient
) -> None:
    north = await neutral_producer(province_code=TUYEN_QUANG, ward_code=None)
    await product(producer=north, name="Chè Shan tuyết Hoàng Su Phì")
    giang = await make_producer(name="Cơ sở Trường Giang", province_code=HANOI)
    await product(producer=giang, name="Tương ớt Hạ Long", subgroup="condiments",
                  group=ProductGroup.FOOD, description="Ớt chín, chè chén")
    await reindex(search, today=TODAY)

    found = await search_products(search, parse_product_query({"q": ["chè Hà Giang"]}), today=TODAY)

    assert [hit.name for hit in found.hits] == ["Chè Shan tuyết Hoàng Su Phì"]


AN_GIANG, NGHE_AN = resolve_province("An Giang"), resolve_province("Nghệ An")
PHU_QUOC_WARD = 31078  # Đặc khu Phú Quốc, An Giang


async def fish_sauce_market() -> None:
    """Fish sauce from Phú Quốc and from elsewhere, and a fish-sauce cooperative's dried jackfruit
    whose description names the cooperative, as the demo catalogue writes them."""
    island = await neutral_producer(province_code=AN_GIANG, ward_code=PHU_QUOC_WARD)
    await product(producer=island, name="Nước mắm truyền thống Hàm Ninh", subgroup="condiments",
                  group=ProductGroup.FOOD)
    quynh_phu = await make_producer(name="THT Nước mắm Quỳnh Phú", province_code=NGHE_AN,
                                    ward_code=17212)
    await product(producer=quynh_phu, name="Mít sấy giòn Quỳnh Phú gói 200 g",
                  subgroup="processed_food", group=ProductGroup.FOOD,
                  description="Mít sấy giòn của THT Nước mắm Quỳnh Phú, sản xuất tại Quỳnh Phú.")
    for name in ("Nước mắm truyền thống Quỳnh Phú 30 độ đạm", "Nước mắm truyền thống Cát Hải",
                 "Nước mắm truyền thống Nam Ô", "Nước mắm truyền thống Phú Thọ 40 độ đạm"):
        await product(producer=quynh_phu if "Quỳnh" in name else None, name=name,
                      subgroup="condiments", group=ProductGroup.FOOD)


async def test_nuoc_mam_phu_quoc_is_fish_sauce_from_there_first_and_only_fish_sauce(
    db: str, search: SearchClient
) -> None:
    await fish_sauce_market()
    await reindex(search, today=TODAY)

    for typed in ("nuoc mam phu quoc", "nước mắm Phú Quốc"):
        found = await search_products(search, parse_product_query({"q": [typed]}), today=TODAY)
        top = [hit.name for hit in found.hits[:5]]
        assert top[0] == "Nước mắm truyền thống Hàm Ninh"
        assert all(name.startswith("Nước mắm") for name in top), top
        assert found.total == 6  # the jackfruit still comes, last: its text says "nước mắm"
        place = typed.split(maxsplit=2)[2]
        assert found.notes == [f"“{place}” là địa danh: sản phẩm từ nơi đó, hoặc mang tên nơi "
                               "đó, được xếp trước."]


async def test_a_ward_name_is_a_place_never_a_producers_personal_name(
    db: str, search: SearchClient
) -> None:
    person = await make_producer(name="Hộ kinh doanh Trần Phú Quốc", province_code=HANOI)
    await product(producer=person, name="Nước mắm truyền thống Vạn Phần", subgroup="condiments",
                  group=ProductGroup.FOOD, description="Nước mắm của hộ Trần Phú Quốc.")
    island = await neutral_producer(province_code=AN_GIANG, ward_code=PHU_QUOC_WARD)
    await product(producer=island, name="Nước mắm truyền thống Hàm Ninh", subgroup="condiments",
                  group=ProductGroup.FOOD)
    elsewhere = await neutral_producer(province_code=AN_GIANG)
    await product(producer=elsewhere, name="Hồ tiêu Phú Quốc", subgroup="condiments",
                  group=ProductGroup.FOOD)
    await reindex(search, today=TODAY)

    sauce = await search_products(search, parse_product_query({"q": ["nước mắm Phú Quốc"]}),
                                  today=TODAY)
    place = await search_products(search, parse_product_query({"q": ["phu quoc"]}), today=TODAY)

    assert [hit.name for hit in sauce.hits] == ["Nước mắm truyền thống Hàm Ninh",
                                                "Nước mắm truyền thống Vạn Phần"]
    assert sorted(hit.name for hit in place.hits) == ["Hồ tiêu Phú Quốc",
                                                      "Nước mắm truyền thống Hàm Ninh"]


async def test_che_ha_giang_ranks_tea_named_after_ha_giang_first(db: str, search: SearchClient) -> None:
    north = await neutral_producer(province_code=TUYEN_QUANG, ward_code=None)
    for name in ("Chè xanh Mỹ Bằng", "Chè búp Yên Sơn", "Chè Shan tuyết Hà Giang"):
        await product(producer=north, name=name)
    await reindex(search, today=TODAY)

    for typed in ("chè Hà Giang", "che ha giang"):
        found = await search_products(search, parse_product_query({"q": [typed]}), today=TODAY)
        assert found.hits[0].name == "Chè Shan tuyết Hà Giang"
        assert found.total == 3


async def test_place_matches_page_on_into_the_others_with_totals_and_facets_of_both(
    db: str, search: SearchClient
) -> None:
    island = await neutral_producer(province_code=AN_GIANG, ward_code=PHU_QUOC_WARD)
    for n in range(3):
        await product(producer=island, name=f"Nước mắm Hàm Ninh {n}", subgroup="condiments",
                      group=ProductGroup.FOOD)
    for n in range(4):
        await product(name=f"Nước mắm Nam Ô {n}", subgroup="condiments", group=ProductGroup.FOOD)
    await reindex(search, today=TODAY)

    pages = [await search_products(search, parse_product_query(
        {"q": ["nuoc mam phu quoc"], "per_page": ["2"], "page": [str(n)]}), today=TODAY)
        for n in (1, 2, 3, 4)]

    names = [hit.name for page in pages for hit in page.hits]
    assert sorted(names[:3]) == [f"Nước mắm Hàm Ninh {n}" for n in range(3)]
    assert sorted(names[3:]) == [f"Nước mắm Nam Ô {n}" for n in range(4)]
    assert {page.total for page in pages} == {7}
    assert pages[0].facets["province"] == {str(AN_GIANG): 3, str(HANOI): 4}


async def test_database_search_reads_a_ward_name_as_no_product_word(db: str) -> None:
    await fish_sauce_market()

    results = await database_search(parse_product_query({"q": ["nuoc mam phu quoc"]}), today=TODAY)

    assert results.degraded and results.total == 6  # "phu quoc" need not be in the text
