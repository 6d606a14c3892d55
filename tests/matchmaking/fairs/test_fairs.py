"""Fairs: policy validation, the booth grid and CSV import, eligibility, the allocator's instance.

The helpers at the top (make_fair, lay_out, make_applicant) are shared by the other fair tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from matchmaking.enums import BoothKind, FairStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.allocation import build_instance
from matchmaking.fairs.applications import apply_for_booths
from matchmaking.fairs.fairs import create_fair, own_fair, validate_fair
from matchmaking.fairs.grid import (
    adjacency,
    generate_grid,
    is_connected,
    parse_booth_csv,
    row_label,
    validate_grid,
)
from matchmaking.fairs.layout import generate_booths, import_booths
from matchmaking.fairs.policy import main_group
from matchmaking.models import Account, Booth, BoothApplication, Fair, Hall
from matchmaking.optim.booths import parse_booth_instance
from tests.factories import make_account, make_producer, make_product

NOW = datetime.now(UTC)
FAIR_FORM = {
    "name": "Hội chợ OCOP Lạng Sơn 2026", "venue": "Quảng trường 17/8", "province_code": "Lạng Sơn",
    "starts_on": "2026-10-20", "ends_on": "2026-10-24", "applications_open": "2026-08-01T08:00",
    "applications_close": "2026-09-30T17:00", "booth_fee_vnd": "2.500.000", "min_stars": "4",
    "certified_only": "1", "groups_admitted": ["food", "beverages"], "province_cap": "25",
    "first_timer_share": "20",
}


async def make_fair(organiser: Account | None = None, **overrides: Any) -> Fair:
    """An open fair whose application window is open now."""
    values: dict[str, Any] = {
        "organiser": organiser or await make_account("organiser"),
        "name": "Hội chợ OCOP", "venue": "Nhà văn hoá", "province_code": 1,
        "starts_on": date.today() + timedelta(days=20), "ends_on": date.today() + timedelta(days=23),
        "applications_open": NOW - timedelta(days=5), "applications_close": NOW + timedelta(days=5),
        "min_stars": 3, "certified_only": True, "groups_admitted": [], "province_cap": None,
        "first_timer_share": 0.0, "status": FairStatus.OPEN,
    }
    values.update(overrides)
    return await Fair.create(**values)


async def lay_out(fair: Fair, **grid: Any) -> Hall:
    organiser = await Account.get(id=fair.organiser_id)
    values = {"hall": "A", "rows": 2, "columns": 4, "booth_w": 3, "booth_h": 3, **grid}
    return await generate_booths(organiser, fair.id, values)


async def make_applicant(
    fair: Fair, *, stars: int = 4, group: str = "beverages", subgroup: str = "tea",
    province: int = 1, booths: int = 1, preferences: list[str] | None = None, **product: Any,
) -> BoothApplication:
    account = await make_account("producer")
    producer = await make_producer(owner=account, province_code=province)
    item = await make_product(producer, stars=stars, group=group, subgroup=subgroup, **product)
    return await apply_for_booths(account, fair.id, {
        "products": [item.id], "booths_wanted": booths, "preferences": preferences or []},
        now=NOW)


# --- the fair's own fields ----------------------------------------------------------------

def test_fair_form_is_read_with_percentages_and_old_names() -> None:
    values = validate_fair(FAIR_FORM)
    assert values["province_code"] == 20  # Lạng Sơn
    assert values["province_cap"] == 0.25 and values["first_timer_share"] == 0.2
    assert values["booth_fee_vnd"] == 2_500_000 and values["min_stars"] == 4
    assert values["groups_admitted"] == ["food", "beverages"] and values["certified_only"] is True
    assert values["applications_close"].utcoffset() == timedelta(hours=7)


def test_fair_form_names_every_wrong_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_fair({**FAIR_FORM, "name": "", "ends_on": "2026-10-01", "min_stars": "2",
                       "applications_close": "2026-07-01T00:00", "province_cap": "0",
                       "groups_admitted": ["spaceships"], "first_timer_share": "150"})
    assert set(caught.value.errors) == {
        "name", "ends_on", "min_stars", "applications_close", "province_cap", "groups_admitted",
        "first_timer_share"}


def test_applications_must_close_by_the_first_day() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_fair({**FAIR_FORM, "applications_close": "2026-10-22T08:00"})
    assert set(caught.value.errors) == {"applications_close"}


async def test_another_organisers_fair_is_not_found(db: str) -> None:
    owner, other = await make_account("organiser"), await make_account("organiser")
    fair = await create_fair(owner, FAIR_FORM)
    assert fair.status == FairStatus.DRAFT
    assert (await own_fair(owner, fair.id)).id == fair.id
    with pytest.raises(NotFound):
        await own_fair(other, fair.id)


# --- the grid generator -------------------------------------------------------------------

def grid(**changes: Any) -> Any:
    return generate_grid(validate_grid({"rows": 2, "columns": 6, "booth_w": 3, "booth_h": 2,
                                        **changes}))


def test_grid_places_booths_edge_to_edge_in_rows() -> None:
    layout = grid()
    assert [b.code for b in layout.booths[:3]] == ["A-01", "A-02", "A-03"]
    assert [(b.x, b.y) for b in layout.booths[:2]] == [(0, 0), (3, 0)]
    assert (layout.width, layout.height) == (18, 4)
    neighbours = adjacency((b.code, 1, b.x, b.y, b.w, b.h) for b in layout.booths)
    assert neighbours["A-02"] == {"A-01", "A-03", "B-02"}
    assert is_connected(["A-01", "A-02", "B-02"], neighbours)
    assert not is_connected(["A-01", "A-03"], neighbours)


def test_aisles_break_adjacency() -> None:
    layout = grid(aisle_every_columns=3, aisle_every_rows=1, aisle_width=2)
    by_code = {b.code: b for b in layout.booths}
    assert by_code["A-04"].x == 3 * 3 + 2 and by_code["B-01"].y == 2 + 2
    neighbours = adjacency((b.code, 1, b.x, b.y, b.w, b.h) for b in layout.booths)
    assert neighbours["A-03"] == {"A-02"}
    assert neighbours["A-04"] == {"A-05"}
    assert "B-01" not in neighbours["A-01"]


def test_corners_at_row_ends_and_islands_inside() -> None:
    layout = grid()
    kinds = {b.code: b.kind for b in layout.booths}
    assert kinds["A-01"] == kinds["A-06"] == BoothKind.CORNER
    assert kinds["A-03"] == BoothKind.STANDARD
    islands = generate_grid(validate_grid({"rows": 3, "columns": 3, "aisle_every_columns": 1,
                                           "aisle_every_rows": 1, "island": "1"}))
    assert [b.code for b in islands.booths if b.kind == BoothKind.ISLAND] == ["B-02"]


def test_zones_in_column_bands_and_prices_by_kind() -> None:
    layout = grid(zones=["food", "beverages"], price_standard="3.000.000", price_corner="4.000.000")
    zones = {b.code: b.zone for b in layout.booths}
    assert [zones[f"A-0{c}"] for c in range(1, 7)] == ["food"] * 3 + ["beverages"] * 3
    assert {b.price_vnd for b in layout.booths if b.kind == BoothKind.CORNER} == {4_000_000}
    assert {b.price_vnd for b in layout.booths if b.kind == BoothKind.STANDARD} == {3_000_000}
    assert {b.zone for b in grid().booths} == {"mixed"}


def test_grid_form_names_every_wrong_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_grid({"rows": "0", "columns": "x", "zones": ["moon"], "price_island": "-5"})
    assert set(caught.value.errors) == {"rows", "columns", "zones", "price_island"}


def test_row_labels_go_past_z() -> None:
    assert [row_label(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


# --- booth CSV ------------------------------------------------------------------------------

CSV = "code,zone,kind,price,x,y,w,h\nA1,food,corner,3.000.000,0,0,3,3\nA2,mixed,standard,0,3,0,3,3\n"


def test_booth_csv_is_read() -> None:
    layout = parse_booth_csv(CSV)
    assert [(b.code, b.zone, b.kind, b.price_vnd) for b in layout.booths] == [
        ("A1", "food", BoothKind.CORNER, 3_000_000), ("A2", "mixed", BoothKind.STANDARD, 0)]
    assert (layout.width, layout.height) == (6, 3)


def test_booth_csv_reports_every_bad_row() -> None:
    bad = CSV + "A1,food,standard,0,9,0,3,3\nA3,moon,tent,abc,0,0,0,3\nA4,food,standard,0,1,1,3,3\n"
    with pytest.raises(ValidationFailed) as caught:
        parse_booth_csv(bad)
    errors = caught.value.errors
    assert set(errors) == {"row 4", "row 5"}
    assert "A1" in errors["row 4"]
    assert "moon" in errors["row 5"]


async def test_booth_csv_import_is_all_or_nothing(db: str) -> None:
    fair = await make_fair()
    organiser = await Account.get(id=fair.organiser_id)
    with pytest.raises(ValidationFailed):
        await import_booths(organiser, fair.id, "Hall 1", CSV + "A3,food,standard,0,1,1,3,3\n")
    assert await Booth.filter(fair=fair).count() == 0
    hall = await import_booths(organiser, fair.id, "Hall 1", CSV)
    assert (hall.width, hall.height) == (6, 3)
    assert sorted(await Booth.filter(fair=fair).values_list("code", flat=True)) == ["A1", "A2"]


async def test_codes_may_not_clash_between_halls(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair)
    with pytest.raises(ValidationFailed) as caught:
        await lay_out(fair, hall="B")
    assert set(caught.value.errors) == {"code_prefix"}
    await lay_out(fair, hall="B", code_prefix="B")
    assert await Booth.filter(fair=fair).count() == 16


# --- eligibility ----------------------------------------------------------------------------

async def refused(fair: Fair, **product: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        await make_applicant(fair, **product)
    return caught.value.errors


async def test_uncertified_product_is_refused(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair)
    errors = await refused(fair, stars=None, certificate_number=None, decision_date=None,
                           certificate_expiry=None)
    message = next(v for k, v in errors.items() if k.startswith("products["))
    assert "chứng nhận" in message or "certified" in message


async def test_certificate_expiring_before_the_fair_ends_is_refused(db: str) -> None:
    fair = await make_fair()
    errors = await refused(fair, certificate_expiry=fair.starts_on + timedelta(days=1))
    message = next(v for k, v in errors.items() if k.startswith("products["))
    assert fair.starts_on.strftime("%d/%m/%Y") in message or "/" in message


async def test_too_few_stars_is_refused(db: str) -> None:
    fair = await make_fair(min_stars=4)
    errors = await refused(fair, stars=3)
    assert errors["products"] and any("4" in v for k, v in errors.items() if k != "products")


async def test_group_not_admitted_is_refused(db: str) -> None:
    fair = await make_fair(groups_admitted=["food"])
    errors = await refused(fair, group="beverages", subgroup="tea")
    assert len([k for k in errors if k.startswith("products[")]) == 1


async def test_unrated_products_welcome_when_not_certified_only(db: str) -> None:
    fair = await make_fair(certified_only=False, min_stars=5)
    application = await make_applicant(fair, stars=None, certificate_number=None,
                                       decision_date=None, certificate_expiry=None)
    assert application.status == "submitted"


async def test_booths_wanted_and_unknown_preferences_are_refused(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair, zones=["food", "beverages"])
    with pytest.raises(ValidationFailed) as caught:
        await make_applicant(fair, booths=5, preferences=["Z-99"])
    assert set(caught.value.errors) == {"booths_wanted", "preferences"}
    with pytest.raises(ValidationFailed) as caught:
        await make_applicant(fair, preferences=["A-01"])  # a food booth, tea is a beverage
    assert set(caught.value.errors) == {"preferences"}


async def test_applications_only_within_the_window(db: str) -> None:
    fair = await make_fair(applications_open=NOW + timedelta(days=1),
                           applications_close=NOW + timedelta(days=2))
    errors = await refused(fair)
    assert set(errors) == {"fair"}


async def test_applying_again_changes_the_application(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair)
    application = await make_applicant(fair)
    producer = await application.producer
    account = await Account.get(id=producer.owner_id)
    other = await make_product(producer, stars=5)
    again = await apply_for_booths(account, fair.id, {"products": [other.id], "booths_wanted": "2",
                                                      "preferences": "A-02, A-03"}, now=NOW)
    assert again.id == application.id and again.booths_wanted == 2
    assert again.preferences == ["A-02", "A-03"]
    assert [p.id for p in await again.products.all()] == [other.id]


# --- the allocator's instance ---------------------------------------------------------------

async def test_instance_turns_policy_into_numbers(db: str) -> None:
    fair = await make_fair(province_cap=0.5, first_timer_share=0.2)
    await lay_out(fair, zones=["food", "beverages"])
    second = await lay_out(fair, hall="B", code_prefix="B", rows=1, columns=2)
    veteran = await make_applicant(fair, stars=5, province=20, booths=2,
                                   preferences=["A-03", "A-04"])
    veteran.first_time = False
    await veteran.save()
    newcomer = await make_applicant(fair, stars=3, group="food", subgroup="condiments")
    instance = await build_instance(fair)
    parse_booth_instance(instance)  # the optimiser accepts it as it is
    assert len(instance["booths"]) == 10
    assert ["A-04", "BA-01"] not in instance["adjacent"]  # halls never touch
    assert ["A-01", "A-02"] in instance["adjacent"] and ["BA-01", "BA-02"] in instance["adjacent"]
    assert instance["rules"] == {"province_cap": 0.5, "competitor_penalty": 30}
    apps = {a["id"]: a for a in instance["applications"]}
    assert apps[f"app-{veteran.id}"] == {
        "id": f"app-{veteran.id}", "province": "20", "category": "tea",
        "zones": ["beverages", "mixed"], "booths": 2, "weight": 500,
        "preferences": {"A-03": 60, "A-04": 50}}
    assert apps[f"app-{newcomer.id}"]["weight"] == 300 + 200  # 3 stars + first-timer bonus
    assert apps[f"app-{newcomer.id}"]["zones"] == ["food", "mixed"]
    assert second.name == "B"


def test_main_group_is_where_most_products_are() -> None:
    from matchmaking.models import Product

    products = [Product(group="food", subgroup="condiments"), Product(group="beverages",
                subgroup="tea"), Product(group="beverages", subgroup="coffee")]
    assert main_group(products) == ("beverages", "tea")
