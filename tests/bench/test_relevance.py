"""The relevance benchmark's labels: a product it calls absent is one the generator never makes."""

from __future__ import annotations

import pytest

from bench.relevance import ABSENT, absent_checked


def test_the_absent_products_are_absent_from_the_generator() -> None:
    assert absent_checked() == ABSENT


@pytest.mark.parametrize("noun", ["rượu vang nho", "yến sào đảo"])
def test_a_product_the_generator_makes_is_refused_as_absent(noun: str) -> None:
    with pytest.raises(ValueError, match="the generator makes"):
        absent_checked((noun,))
