"""A buyer's sentence taken apart: quantities, units, stars and places are not product words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matchmaking.demands.phrases import understand

HANOI, HO_CHI_MINH = 1, 79


@pytest.mark.parametrize("text", [
    "can 1,5 tan che xanh loai 4 sao giao ha noi",
    "Cần 1,5 tấn chè xanh loại 4 sao giao Hà Nội",
    "Cần 1,5tấn chè xanh, từ 4 sao trở lên, giao tại Hà Nội",
])
def test_the_sentence_with_or_without_diacritics_says_the_same(text: str) -> None:
    said = understand(text)
    assert [w.lower() for w in said.words] in (["che", "xanh"], ["chè", "xanh"])
    assert (said.quantity, said.unit, said.min_stars, said.province_code) == (
        Decimal("1.5"), "tấn", 4, HANOI)


def test_place_names_are_places_not_product_words() -> None:
    assert understand("chè Hà Giang").words == ("chè",)
    assert understand("chè Hà Giang").places == ("Hà Giang",)
    assert understand("nuoc mam phu quoc").words == ("nuoc", "mam")
    assert understand("Cần 50 kg nấm hương giao tại TP Hồ Chí Minh").province_code == HO_CHI_MINH


def test_words_typed_with_diacritics_keep_their_meaning() -> None:
    # "bạc hà" is mint, Bắc Hà a place; "Tân" in "Trà Tân Cương" is not a unit; "nấm" not "năm".
    assert understand("mật ong bạc hà").words == ("mật", "ong", "bạc", "hà")
    assert understand("nấm hương").words == ("nấm", "hương")
    assert understand("Gạo ST25").words == ("Gạo", "ST25")
    assert understand("Trà Tân Cương").words == ("Trà",)


def test_product_words_spelled_like_noise_stay_product_words() -> None:
    # tỏi is not tới, đen not đến, phô not phố, sào not sao (stars), đắng not đang.
    assert understand("Cần 2 tấn tỏi Lý Sơn").words == ("tỏi",)
    assert understand("Cần 500 kg tỏi đen giao tới Hà Nội").words == ("tỏi", "đen")
    assert understand("phô mai dê").words == ("phô", "mai", "dê")
    assert understand("Cần yến sào đảo loại 4 sao").words == ("yến", "sào", "đảo")
    assert understand("trà đắng Cao Bằng").words == ("trà", "đắng")
    assert understand("can 2 tan toi giao toi ha noi").words == ()  # unaccented: ambiguous, noise
