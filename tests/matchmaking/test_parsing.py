"""Numbers as a Vietnamese user types them: the comma is the decimal mark, the dot groups
thousands, and what could be read two ways is refused with a message, never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matchmaking.parsing import (
    NumberError,
    parse_vnd,
    parse_whole,
    quantity_input,
    read_decimal,
    read_quantity,
    vnd_input,
)


@pytest.mark.parametrize(("typed", "meant"), [
    ("1,5", Decimal("1.5")),  # one and a half
    ("1.5", Decimal("1.5")),  # a phone keyboard's point: a dot before one digit groups nothing
    ("1.500", Decimal(1500)),  # fifteen hundred
    ("0,500", Decimal("0.5")),
    ("1.500,25", Decimal("1500.25")),
    ("1,500.25", Decimal("1500.25")),
    ("1 500", Decimal(1500)),
    ("2.000.000", Decimal(2_000_000)),
    ("12,25", Decimal("12.25")),
    (2.5, Decimal("2.5")),
    (7, Decimal(7)),
])
def test_numbers_read_as_a_vietnamese_user_means_them(typed: object, meant: Decimal) -> None:
    assert read_decimal(typed) == meant


def test_1_500_with_a_comma_is_ambiguous_and_refused() -> None:
    with pytest.raises(NumberError) as caught:
        read_decimal("1,500")
    assert caught.value.ambiguous
    errors: dict[str, str] = {}
    assert read_quantity("1,500", errors) is None
    assert "1,5" in errors["quantity"] and "1.500" in errors["quantity"]


@pytest.mark.parametrize("typed", ["abc", "1..5", "1,2345", "1.50.0", "", "0", "-2", "1e3"])
def test_not_a_quantity_is_refused_with_an_example(typed: str) -> None:
    errors: dict[str, str] = {}
    assert read_quantity(typed, errors) is None
    assert "1,5" in errors["quantity"]


def test_whole_numbers_no_longer_swallow_a_decimal_comma() -> None:
    assert parse_whole("1,5") is None  # was 15
    assert parse_whole("1.200") == parse_whole("1,200") == parse_whole("1 200") == 1200


@pytest.mark.parametrize("stored", ["2", "1.5", "1500", "0.25", "1.125", "1000.5"])
def test_a_quantity_shown_in_a_form_reads_back_as_itself(stored: str) -> None:
    assert read_decimal(quantity_input(Decimal(stored))) == Decimal(stored)


@pytest.mark.parametrize(("stored", "shown"), [(85_000, "85.000"), (1_250_000, "1.250.000"),
                                               (500, "500"), (None, "")])
def test_an_amount_shown_in_a_form_is_grouped_and_reads_back_as_itself(
        stored: int | None, shown: str) -> None:
    assert vnd_input(stored) == shown
    assert stored is None or parse_vnd(shown) == stored
