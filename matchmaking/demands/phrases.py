"""What a buyer's sentence says: "can 1,5 tan che xanh loai 4 sao giao ha noi".

Quantities with their unit ("1,5 tấn"), star phrases ("loại 4 sao", "từ 4 sao trở lên"), the
delivery place ("giao Hà Nội", "giao tại Hà Nội") and the words around them ("cần", "mua") are
read as what they are, with or without diacritics, and never searched as product words. Other
place names ("chè Hà Giang", "nước mắm Phú Quốc") are place words: they may rank a product from
there higher but never make a product match by themselves. What remains are the product words.

A product name one of whose words is also noise ("gia vị", "tinh dầu", "miến dong") is kept
whole: those names are data (matchmaking/data/compound-product-words.json, derived from the
taxonomy and the product vocabulary by matchmaking.demands.compounds).
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from matchmaking.parsing import NumberError, read_decimal
from matchmaking.places import find_place, fold
from matchmaking.units import unit_named

# Words that say who wants what, when and how, not what the product is (compared folded).
NOISE = frozenset({
    "can", "mua", "tim", "cho", "va", "hoac", "voi", "cua", "moi", "thang", "tuan", "nam", "dot",
    "lan", "ocop", "so", "luong", "khoang", "tren", "duoi", "it", "nhat", "nhu", "cau", "san",
    "pham", "loai", "truoc", "ngay", "tinh", "tp", "thanh", "pho", "nhap", "hang", "tro", "len",
    "tu", "dat", "chuan", "sao", "giao", "tai", "den", "toi", "ve", "khu", "vuc", "muon", "dang",
    "ban", "gia", "dong", "vnd", "kg", "hop", "goi", "tui", "chai",
})
# Noise that is also a product word on its own ("nam" is mushroom, "thanh" a name...): dropped
# only when written without diacritics or in this accented form.
_ACCENTED_NOISE = {"nam": "năm", "thanh": "thành", "san": "sản", "tim": "tìm", "dong": "đồng",
                   "ban": "bán", "gia": "giá", "ve": "về", "hang": "hàng", "tu": "từ",
                   "so": "số", "moi": "mỗi", "dat": "đạt",
                   # tỏi (garlic), đen (black), phô mai, yến sào, đắng (bitter), khoáng (mineral)
                   "toi": "tới", "den": "đến", "pho": "phố", "sao": "sao", "dang": "đang",
                   "khoang": "khoảng"}
_DELIVERY = {"giao", "ship", "chuyen"}  # followed by a place: where to deliver
_LINKS = {"tai", "den", "toi", "ve", "hang", "o", "tp", "thanh", "pho", "tinh"}
_STAR_WORDS = {"sao", "star", "stars", "*", "★"}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]+(?![^\W_])|\d+(?:[.,]\d+)*(?![^\W_])|[^\W_]+|★")
_GLUED = re.compile(r"(\d+(?:[.,]\d+)*)([^\W\d_]+)")  # "500g", "2tan"
COMPOUNDS = Path(__file__).parents[1] / "data" / "compound-product-words.json"


@dataclass(frozen=True)
class Understood:
    """A demand's sentence taken apart."""

    words: tuple[str, ...]  # product words, as typed, in order
    places: tuple[str, ...] = ()  # place names mentioned (not the delivery place), as typed
    quantity: Decimal | None = None
    unit: str | None = None
    min_stars: int | None = None
    province_code: int | None = None  # the delivery province ("giao Hà Nội")


def _is_noise(word: str) -> bool:
    key = fold(word)
    if key not in NOISE:
        return False
    accented = _ACCENTED_NOISE.get(key)
    return accented is None or word.lower() in (key, accented)


def is_product_word(word: str) -> bool:
    """Whether a word, standing alone, is kept as a product word (not noise, not a lone letter)."""
    return not _is_noise(word) and len(fold(word)) >= 2


def tokenize(text: str) -> list[str]:
    """The words and numbers of a sentence, with a unit or star glued to a number split off."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        glued = _GLUED.fullmatch(token)
        split = glued and (unit_named(glued.group(2)) or fold(glued.group(2)) in _STAR_WORDS)
        tokens += list(glued.groups()) if glued and split else [token]
    return tokens


@cache
def _compounds() -> dict[str, tuple[tuple[tuple[str, str], ...], ...]]:
    """The protected names by their first word folded, longest first; each word (as written,
    folded)."""
    with COMPOUNDS.open(encoding="utf-8") as handle:
        names: list[str] = json.load(handle)["compounds"]
    by_first: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for name in names:
        words = tuple((word, fold(word)) for word in name.split())
        by_first.setdefault(words[0][1], []).append(words)
    return {key: tuple(sorted(found, key=len, reverse=True)) for key, found in by_first.items()}


def _compound_step(tokens: list[str], start: int, folded: list[str]) -> int:
    """How many words of a protected name start at `tokens[start]`, or 0; each word typed as
    written or without diacritics ("gia vị", "gia vi", not "giá vị")."""
    for words in _compounds().get(folded[start], ()):
        typed = tokens[start:start + len(words)]
        if len(typed) == len(words) and all(
                t.lower() in (word, key) for t, (word, key) in zip(typed, words, strict=True)):
            return len(words)
    return 0


def _compound_at(tokens: list[str], start: int, folded: list[str]) -> int:
    """How many words from `tokens[start]` protected names cover, overlapping names chained
    ("nhà sàn" + "sàn cộng" + "cộng đồng"), or 0. One of the words must be a product word on its
    own, so that "nhu cau dat" (noise) is not coffee from Cầu Đất."""
    end = start
    while step := _compound_step(tokens, max(start, end - 1), folded):
        end = max(start, end - 1) + step
    return end - start if any(is_product_word(t) for t in tokens[start:end]) else 0


@lru_cache(maxsize=20_000)
def understand(text: str) -> Understood:
    """The product words, place words, quantity, unit, minimum stars and delivery province."""
    tokens = tokenize(text)
    folded = [fold(t) for t in tokens]
    words: list[str] = []
    places: list[str] = []
    quantity: Decimal | None = None
    unit: str | None = None
    stars: int | None = None
    province: int | None = None
    i = 0
    while i < len(tokens):
        token, key = tokens[i], folded[i]
        following = folded[i + 1] if i + 1 < len(tokens) else ""
        if token[0].isdigit():
            if following in _STAR_WORDS and token.isdigit() and 1 <= int(token) <= 5:
                stars, i = int(token), i + 2
                continue
            named = unit_named(following) if following else None
            if named is not None:
                with suppress(NumberError):  # "1,500 kg" is no quantity: still not a word
                    quantity, unit = read_decimal(token), named
                i += 2
                continue
            i += 1  # a bare number (a year, a size): not a product word
            continue
        if key in _DELIVERY:
            j = i + 1
            while j < len(tokens) and folded[j] in _LINKS:
                j += 1
            place = find_place(tokens, j, folded) if j < len(tokens) else None
            if place is not None and place[1] == "province":
                province, i = place[2], j + place[0]
                continue
        compound = _compound_at(tokens, i, folded)
        if compound:
            words += tokens[i:i + compound]
            i += compound
            continue
        place = find_place(tokens, i, folded)
        if place is not None:
            places.append(" ".join(tokens[i:i + place[0]]))
            i += place[0]
            continue
        if is_product_word(token):
            words.append(token)
        i += 1
    return Understood(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(places)), quantity, unit,
                      stars, province)
