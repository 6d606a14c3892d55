"""Scoring: each component on its own, the hard filters, and the reasons as buyers read them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from matchmaking.demands.reasons import Reason, render_reasons
from matchmaking.demands.scoring import (
    WEIGHTS,
    DemandFacts,
    ProductFacts,
    best,
    misses,
    score_product,
    unit_factor,
)
from matchmaking.units import Net

TODAY = date(2026, 3, 1)
HANOI, THAI_NGUYEN = 1, 19

DEMAND = DemandFacts(
    id=1, quantity=2, unit="tấn", delivery_province_code=HANOI, needed_by=TODAY + timedelta(days=30),
    group="beverages", subgroup="tea", max_price_vnd=400_000_000, min_stars=4,
    required_marks=("vietgap",),
)
TEA = ProductFacts(
    id=10, producer_id=5, group="beverages", subgroup="tea", price_vnd=360_000, unit="kg",
    min_order=50, monthly_capacity=1_200, province_code=THAI_NGUYEN, stars=4,
    certificate_expiry=TODAY + timedelta(days=400), quality_marks=("vietgap",),
)


def components(demand: DemandFacts = DEMAND, product: ProductFacts = TEA, relevance: float = 0.9,
               ) -> dict[str, float]:
    scored = score_product(demand, product, relevance)
    assert scored is not None
    return scored.components


def reasons(demand: DemandFacts = DEMAND, product: ProductFacts = TEA) -> list[str]:
    scored = score_product(demand, product, 0.9)
    assert scored is not None
    return render_reasons(scored.reasons, "vi")


def test_weights_add_up_to_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_score_is_the_weighted_sum_of_components() -> None:
    scored = score_product(DEMAND, TEA, 0.9)
    assert scored is not None
    total = sum(WEIGHTS[name] * value for name, value in scored.components.items())
    assert scored.score == pytest.approx(total, abs=1e-4)
    assert all(0.0 <= value <= 1.0 for value in scored.components.values())


def test_relevance_is_the_search_ranking_score_clamped() -> None:
    assert components(relevance=0.73)["relevance"] == 0.73
    assert components(relevance=1.7)["relevance"] == 1.0


def test_another_subgroup_is_not_the_product_asked_for() -> None:
    assert components()["group"] == 1.0
    assert score_product(DEMAND, replace(TEA, subgroup="coffee"), 1.0) is None  # tea, not coffee
    any_kind = replace(DEMAND, subgroup=None)
    assert components(any_kind, replace(TEA, subgroup="coffee"))["group"] == 1.0


def test_stars_above_the_minimum_score_higher() -> None:
    assert components()["stars"] == 0.7
    assert components(product=replace(TEA, stars=5))["stars"] == 0.85
    no_minimum = replace(DEMAND, min_stars=None)
    assert components(no_minimum, replace(TEA, stars=3))["stars"] == 0.6
    assert components(no_minimum, replace(TEA, stars=None))["stars"] == 0.0


def test_required_marks_are_hard() -> None:
    demand = replace(DEMAND, required_marks=("vietgap", "organic"))
    assert score_product(demand, TEA, 1.0) is None  # no organic: never ranked at all
    assert misses(demand, TEA) == (Reason("mark_missing", {"mark": "organic"}),)
    organic = replace(TEA, quality_marks=("vietgap", "organic"))
    assert components(demand, organic)["marks"] == 1.0
    assert reasons(demand, organic)[1:3] == ["VietGAP", "Hữu cơ"]


def test_prices_compare_per_the_unit_of_the_target() -> None:
    per_kg = replace(DEMAND, max_price_vnd=300_000, price_unit="kg")
    assert "giá cao hơn mức mục tiêu 20%" in reasons(per_kg)  # 360.000 ₫/kg against 300.000
    boxes = replace(TEA, unit="hộp", price_vnd=72_000, net=Net(Decimal(200), "g"))
    assert "giá cao hơn mức mục tiêu 20%" in reasons(per_kg, boxes)
    no_content = replace(TEA, unit="hộp", price_vnd=72_000)
    assert components(per_kg, no_content)["price"] == 0.5
    said = reasons(per_kg, no_content)
    assert "không so sánh được giá (hộp, không phải kg)" in said
    assert not any("%" in text for text in said)


def test_price_below_the_target_is_best_and_above_it_falls_to_zero() -> None:
    assert components()["price"] == pytest.approx(0.8 + 0.2 * (0.1 / 0.3), abs=1e-4)
    assert "giá thấp hơn mức mục tiêu 10%" in reasons()
    dear = replace(TEA, price_vnd=500_000)
    assert components(product=dear)["price"] == pytest.approx(0.6 * (1 - 0.25 / 0.5), abs=1e-4)
    assert "giá cao hơn mức mục tiêu 25%" in reasons(product=dear)
    assert components(product=replace(TEA, price_vnd=700_000))["price"] == 0.0
    assert components(replace(DEMAND, max_price_vnd=None))["price"] == 0.5


def test_capacity_converts_units_and_says_how_much_is_covered() -> None:
    assert components()["capacity"] == 0.6  # 1,200 kg of 2 tấn
    assert "đủ 60% số lượng" in reasons()
    monthly = replace(DEMAND, monthly=True, quantity=1)
    assert components(monthly)["capacity"] == 1.0
    assert "đủ toàn bộ số lượng mỗi tháng" in reasons(monthly)
    bottles = replace(TEA, unit="chai")
    assert components(product=bottles)["capacity"] == 0.0  # bottles do not convert to tonnes


def test_minimum_order_above_the_quantity_scores_no_capacity() -> None:
    small = replace(DEMAND, quantity=30, unit="kg")
    assert components(small)["capacity"] == 0.0
    assert "đơn tối thiểu lớn hơn số lượng cần" in reasons(small)


def test_units_convert_within_mass_and_volume_only() -> None:
    assert unit_factor("tấn", "kg") == 1_000
    assert unit_factor("g", "kg") == 0.001
    assert unit_factor("lít", "lít") == 1
    assert unit_factor("lít", "kg") is None
    assert unit_factor("chai", "hộp") is None


def test_distance_falls_with_kilometres_and_reads_as_such() -> None:
    near = components()["distance"]
    far = components(product=replace(TEA, province_code=79))["distance"]  # TP Hồ Chí Minh
    assert 0.9 < near < 1.0 and 0.2 < far < 0.3  # about 1,140 km of 1,500
    assert any(text.startswith("cách ") and text.endswith(" km") for text in reasons())
    assert components(product=replace(TEA, province_code=HANOI))["distance"] == 1.0
    assert "cùng tỉnh Hà Nội" in reasons(product=replace(TEA, province_code=HANOI))


def test_certificate_valid_on_the_needed_by_date_counts_fully() -> None:
    assert components()["certificate"] == 1.0
    no_minimum = replace(DEMAND, min_stars=None)
    lapsing = replace(TEA, certificate_expiry=TODAY + timedelta(days=10))
    assert components(no_minimum, lapsing)["certificate"] == 0.3
    assert "chứng nhận OCOP hết hạn trước ngày cần hàng" in reasons(no_minimum, lapsing)
    assert components(no_minimum, replace(TEA, stars=None))["certificate"] == 0.0


def test_hard_filters_exclude() -> None:
    assert score_product(DEMAND, replace(TEA, stars=3), 1.0) is None
    assert score_product(DEMAND, replace(TEA, stars=None), 1.0) is None
    assert score_product(DEMAND, replace(TEA, group="food"), 1.0) is None
    lapsing = replace(TEA, certificate_expiry=DEMAND.needed_by - timedelta(days=1))
    assert score_product(DEMAND, lapsing, 1.0) is None
    assert score_product(replace(DEMAND, min_stars=None), lapsing, 1.0) is not None


def test_reasons_read_like_the_buyer_talks() -> None:
    assert reasons() == [
        "4 sao", "VietGAP", "cách 63 km", "đủ 60% số lượng", "giá thấp hơn mức mục tiêu 10%",
    ]


def test_reasons_render_in_english_from_the_same_codes() -> None:
    scored = score_product(DEMAND, TEA, 0.9)
    assert scored is not None
    assert render_reasons(scored.reasons, "en")[0] == "4 stars"
    assert render_reasons([Reason("mark_missing", {"mark": "organic"})], "en") == ["no Organic"]


def test_best_breaks_ties_by_product_id() -> None:
    candidates = [(replace(TEA, id=3), 0.9), (replace(TEA, id=2), 0.9),
                  (replace(TEA, id=1, stars=5), 0.9)]
    assert [s.product_id for s in best(DEMAND, candidates, 2)] == [1, 2]
