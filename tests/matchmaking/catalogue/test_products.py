"""The OCOP rules a product must respect, checked before anything is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matchmaking.catalogue.products import add_months, validate_product
from matchmaking.errors import ValidationFailed
from matchmaking.parsing import parse_vnd

GOOD = {
    "name": "Trà Shan tuyết cổ thụ", "group": "beverages", "subgroup": "tea", "stars": "4",
    "certificate_number": "1234/QĐ-UBND", "decision_date": "15/03/2024", "price_vnd": "350.000",
    "unit": "kg", "min_order": "5", "monthly_capacity": "300", "quality_marks": ["vietgap", "gi"],
}


def errors_of(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        validate_product({**GOOD, **changes})
    return caught.value.errors


def test_good_product_gets_expiry_36_months_after_decision() -> None:
    product = validate_product(GOOD)
    assert product.certificate_expiry == date(2027, 3, 15)
    assert product.price_vnd == 350_000 and product.stars == 4


@pytest.mark.parametrize(
    ("text", "amount"),
    [("120.000", 120_000), ("120,000 ₫", 120_000), ("1.500.000đ", 1_500_000), ("85000", 85_000),
     ("120000 VND", 120_000), (45000, 45_000), ("12.5", None), ("abc", None), ("-5", None)],
)
def test_prices_read_as_whole_dong(text: object, amount: int | None) -> None:
    assert parse_vnd(text) == amount


def test_rated_product_needs_certificate_and_decision() -> None:
    errors = errors_of(certificate_number="", decision_date="")
    assert set(errors) == {"certificate_number", "decision_date"}


def test_unrated_product_needs_no_certificate() -> None:
    product = validate_product({**GOOD, "stars": "", "certificate_number": "", "decision_date": ""})
    assert product.stars is None and product.certificate_expiry is None


@pytest.mark.parametrize("stars", ["2", "6", "bốn"])
def test_stars_are_three_to_five(stars: str) -> None:
    assert "stars" in errors_of(stars=stars)


def test_capacity_must_cover_minimum_order() -> None:
    assert "monthly_capacity" in errors_of(min_order="500", monthly_capacity="100")


def test_price_must_be_positive_whole_dong() -> None:
    assert "price_vnd" in errors_of(price_vnd="0")
    assert "price_vnd" in errors_of(price_vnd="99,5")


def test_unit_from_the_list_and_subgroup_of_the_group() -> None:
    errors = errors_of(unit="thùng to", subgroup="ceramics")
    assert set(errors) >= {"unit", "subgroup"}


def test_unknown_quality_mark_is_refused() -> None:
    assert "quality_marks" in errors_of(quality_marks=["halal-ish"])


def test_all_errors_reported_at_once() -> None:
    errors = errors_of(name="", group="weapons", price_vnd="", monthly_capacity="")
    assert set(errors) >= {"name", "group", "price_vnd", "monthly_capacity"}


def test_months_clamp_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 5, 31), 36) == date(2026, 5, 31)


def test_capacities_are_decimals_as_typed() -> None:
    values = validate_product({**GOOD, "unit": "tấn", "min_order": "0,5", "monthly_capacity": "1,5"})
    assert values.min_order == Decimal("0.5") and values.monthly_capacity == Decimal("1.5")
    assert set(errors_of(monthly_capacity="1,500")) == {"monthly_capacity"}


def test_only_a_container_declares_its_net_content() -> None:
    boxed = validate_product({**GOOD, "unit": "hộp", "net_quantity": "500", "net_unit": "g"})
    assert boxed.net_quantity == 500 and boxed.net_unit == "g"
    assert set(errors_of(unit="kg", net_quantity="500", net_unit="g")) == {"net_quantity"}
    assert set(errors_of(unit="hộp", net_quantity="500", net_unit="cái")) == {"net_unit"}
