"""The one unit table: mass and volume convert, containers through their net content."""

from __future__ import annotations

from decimal import Decimal

from matchmaking import units
from matchmaking.units import Net


def test_mass_and_volume_convert_within_their_family() -> None:
    assert units.factor("tấn", "kg") == 1000
    assert units.factor("tạ", "kg") == 100
    assert units.factor("g", "tấn") == 1e-6
    assert units.factor("lít", "ml") == 1000
    assert units.factor("kg", "lít") is None


def test_a_container_converts_only_with_its_net_content() -> None:
    assert units.factor("hộp", "kg") is None
    assert units.factor("hộp", "kg", from_net=Net(Decimal(500), "g")) == 0.5
    assert units.factor("chai", "lít", from_net=Net(Decimal(500), "ml")) == 0.5
    assert units.factor("hộp", "hộp") == 1.0
    assert units.factor("cái", "kg") is None


def test_prices_convert_the_other_way_from_quantities() -> None:
    assert units.price_in(300_000, "kg", "tấn") == 300_000_000
    assert units.price_in(60_000, "hộp", "kg", net=Net(Decimal(200), "g")) == 300_000
    assert units.price_in(60_000, "hộp", "kg") is None


def test_words_people_write_name_units() -> None:
    assert units.unit_named("Tấn") == units.unit_named("tan") == "tấn"
    assert units.unit_named("kilo") == "kg" and units.unit_named("lit") == "lít"
    assert units.unit_named("tạ") == "tạ" and units.unit_named("chè") is None
