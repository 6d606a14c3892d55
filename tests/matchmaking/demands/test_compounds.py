"""The product names kept whole are derived from the taxonomy and the vocabulary, and kept whole."""

from __future__ import annotations

import pytest

from matchmaking.demands.compounds import derive, product_names, protected
from matchmaking.demands.phrases import is_product_word, understand
from matchmaking.places import fold


def test_the_data_file_holds_every_name_the_taxonomy_and_vocabulary_need() -> None:
    # Refresh with `python -m matchmaking.demands.compounds`.
    assert sorted(set(derive(product_names())) - set(protected())) == []


def test_derived_names_join_the_lost_word_to_the_product_word_beside_it() -> None:
    assert derive(["Gia vị", "Miến dong Bình Liêu", "Chè và cà phê", "Tỏi Lý Sơn"]) == [
        "gia vị", "miến dong"]


@pytest.mark.parametrize("name", protected())
def test_each_protected_name_is_kept_whole_as_written_and_without_diacritics(name: str) -> None:
    assert [w.lower() for w in understand(name).words] == name.split()
    unaccented = fold(name).split()
    # Unless both words are noise unaccented ("cau dat" is no "Cầu Đất" coffee).
    kept = tuple(unaccented) if any(is_product_word(w) for w in unaccented) else ()
    assert understand(fold(name)).words == kept
