"""A word typed with its diacritics is that word, not another with the same letters.

Meilisearch compares words without diacritics, so "cá hồi" (salmon) finds "Cà phê … Hội Sơn"
and "thịt cừu" (lamb) "Ruốc thịt Khả Cửu"; the matcher (search.candidates) drops such hits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from matchmaking.places import fold
from search.products import folded_synonyms

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


@lru_cache(maxsize=100_000)
def _tone_apart(word: str) -> tuple[str, str]:
    """A word as (its letters without the tone mark, the tone mark): "hoà" and "hòa" are one."""
    marks = unicodedata.normalize("NFD", word.lower())
    return (unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES)),
            "".join(c for c in marks if c in _TONES))


# A full match run asks this of some 200,000 (demand, candidate) pairs over a few thousand
# distinct words and names: each word and name is taken apart once.
_folded = lru_cache(maxsize=100_000)(fold)


@lru_cache(maxsize=100_000)
def _name_words(name: str) -> tuple[tuple[tuple[str, str], str], ...]:
    """The words of a product name, each tone apart and folded."""
    return tuple((parts, _folded(parts[0]))
                 for parts in (_tone_apart(w) for w in re.findall(r"[^\W_]+", name)))


# A full run asks these of 260,000 (demand words, hit) pairs, a tenth of them distinct.
@lru_cache(maxsize=200_000)
def mistoned(words: tuple[str, ...], name: str, text: str = "") -> bool:
    """Whether the product has a word the buyer typed with its diacritics only as another word
    with the same letters: Meilisearch compares without diacritics, so "cá hồi" (salmon) finds
    "Cà phê … Hội Sơn", and "thịt cừu" (lamb) "Ruốc thịt Khả Cửu". The name decides; a name
    that has none of the words (nor a synonym) is no evidence, and then the rest of the searched
    `text` is, which often names the producer and its ward: "Trà ô long … của HTX Cà phê Tân
    Hội" is no salmon. A word typed without diacritics, or found nowhere (a typo, a prefix),
    tells nothing."""
    named = _name_words(name)
    if text and not name_tells(words, name):
        named += _name_words(text)
    for word in words:
        if _folded(word) == word.lower():
            continue
        typed = _tone_apart(word)
        letters = _folded(typed[0])
        same_letters = [parts for parts, folded in named if folded == letters]
        if same_letters and typed not in same_letters:
            return True
    return False


@lru_cache(maxsize=200_000)
def name_tells(words: tuple[str, ...], name: str) -> bool:
    """Whether `mistoned` can tell from the name alone: no word is typed with diacritics, or the
    name has one of the words (or a synonym of one), whatever its diacritics."""
    if all(_folded(word) == word.lower() for word in words):
        return True
    folded_name = {folded for _, folded in _name_words(name)}
    synonyms = folded_synonyms()
    return any(letters in folded_name or folded_name.intersection(synonyms.get(letters, ()))
               for letters in (_folded(word) for word in words))
