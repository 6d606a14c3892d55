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


@pytest.mark.parametrize(("text", "words"), [
    # Sub-groups of the taxonomy and demo product names whose first or last word is also noise:
    # "gia" (giá, price), "tinh" (tỉnh, province), "dong" (đồng, dong), "sản", "phẩm", "thanh".
    ("gia vị", ("gia", "vị")),
    ("gia vi", ("gia", "vi")),
    ("Tinh dầu quế", ("Tinh", "dầu", "quế")),
    ("tinh dau que", ("tinh", "dau", "que")),
    ("Tinh bột nghệ", ("Tinh", "bột", "nghệ")),
    ("miến dong", ("miến", "dong")),
    ("mien dong", ("mien", "dong")),
    ("Thanh long ruột đỏ", ("Thanh", "long", "ruột", "đỏ")),
    ("thanh long ruot do", ("thanh", "long", "ruot", "do")),
    ("Nông sản sấy", ("Nông", "sản", "sấy")),
    ("Mỹ phẩm thảo dược", ("Mỹ", "phẩm", "thảo", "dược")),
    ("Lưu trú cộng đồng", ("Lưu", "trú", "cộng", "đồng")),
    ("tour du lich cong dong", ("tour", "du", "lich", "cong", "dong")),
    ("Trà túi lọc", ("Trà", "túi", "lọc")),
    ("Chổi đót", ("Chổi", "đót")),
    ("nam linh chi", ("nam", "linh", "chi")),
    ("dong trung ha thao say", ("dong", "trung", "ha", "thao", "say")),
])
def test_two_word_product_names_keep_both_words(text: str, words: tuple[str, ...]) -> None:
    assert understand(text).words == words


def test_a_product_name_that_starts_with_a_place_keeps_the_place_apart() -> None:
    said = understand("mien dong binh lieu")
    assert (said.words, said.places) == (("mien", "dong"), ("binh lieu",))


@pytest.mark.parametrize(("text", "words"), [
    ("Cần 200 kg gia vị loại 4 sao giao Hà Nội", ("gia", "vị")),
    ("can 200 kg gia vi loai 4 sao giao ha noi", ("gia", "vi")),
    ("Cần 200 lít tinh dầu quế, từ 4 sao trở lên, giao tại Hà Nội", ("tinh", "dầu", "quế")),
    ("can 200 lit tinh dau que tu 4 sao tro len giao tai ha noi", ("tinh", "dau", "que")),
    ("Cần 200 kg miến dong loại 4 sao giao Hà Nội", ("miến", "dong")),
    ("can 200 kg mien dong loai 4 sao giao ha noi", ("mien", "dong")),
])
def test_a_sentence_around_a_two_word_name_still_says_quantity_stars_and_province(
        text: str, words: tuple[str, ...]) -> None:
    said = understand(text)
    assert (said.words, said.min_stars, said.province_code) == (words, 4, HANOI)
    assert said.quantity == Decimal(200)


def test_noise_next_to_a_two_word_name_is_still_noise() -> None:
    # "giá" (price) and "đồng" (the currency) stay noise beside "gia vị"; "nhu cau dat" (a need
    # that meets...) is no "Cầu Đất" coffee, since neither word is a product word unaccented.
    assert understand("Cần 50 kg gia vị, giá 120.000 đồng").words == ("gia", "vị")
    assert understand("Cần 50 kg gia vị giá tốt").words == ("gia", "vị", "tốt")
    assert understand("nhu cau dat chuan che xanh").words == ("che", "xanh")
    assert understand("cà phê Cầu Đất").words == ("cà", "phê", "Cầu", "Đất")


def test_a_generic_word_before_a_product_name_stays_noise() -> None:
    # "hàng" (goods) names no product: kept, it would be a word every hit must match.
    assert understand("Cần 200 cái hàng thủ công giao Hà Nội").words == ("thủ", "công")
    assert understand("can 200 cai hang thu cong giao ha noi").words == ("thu", "cong")
