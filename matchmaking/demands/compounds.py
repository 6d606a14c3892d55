"""The product names that phrases.py keeps whole, derived from the taxonomy and the vocabulary.

A name loses a word when that word, alone, is noise in a buyer's sentence: "gia" in "gia vị"
(giá, the price), "tinh" in "tinh dầu" (tỉnh, a province), "dong" in "miến dong" (đồng), or
"nấm" typed "nam" (năm, a year). Each such word is protected together with the product word
beside it, as written with its diacritics. Refresh the data file after changing the taxonomy or
the vocabulary with `python -m matchmaking.demands.compounds`; a test checks it is current.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from matchmaking.demands.phrases import COMPOUNDS, is_product_word, tokenize
from matchmaking.demo.vocabulary import TEMPLATES
from matchmaking.places import fold, named_places
from matchmaking.taxonomy import classification

NOTE = ("Product names phrases.py keeps whole although one of their words is noise alone. "
        "Derived by matchmaking.demands.compounds from the taxonomy and the product vocabulary; "
        "more names may be added by hand.")
# Words that join two names ("chè và cà phê", "thuốc từ dược liệu"), never part of one.
_JOINING = frozenset({"và", "hoặc", "với", "của", "từ", "cho"})
_CLAUSE = re.compile(r"[,;:()/]| - ")  # a name's parts: "Thực phẩm - đồ uống thảo dược"


def product_names() -> list[str]:
    """What products are called: the taxonomy's sub-groups and the vocabulary's product names.
    Not the words around them in demands and trades ("hàng thủ công", "rượu đặc sản"): kept,
    "hàng" and "sản" would be words a product must match yet no product name carries."""
    names = [sub["name"] for group in classification()["groups"] for part in group["groups"]
             for sub in part["subgroups"]]
    names += [name.text.replace("{place}", "").strip() for template in TEMPLATES
              for name in template.names]
    return names


def _cut(form: list[str], written: list[str], placed: set[int]) -> list[tuple[int, int]]:
    """Each (lost word, product word beside it) by index, in one spelling of a name written
    `written`, whose words at `placed` name a place."""

    def plain(i: int) -> bool:
        return i not in placed and not form[i][0].isdigit()

    lost = [i for i, word in enumerate(form) if plain(i) and not is_product_word(word)
            and written[i] not in _JOINING and not (len(word) == 1 and word.isascii())]
    return [(i, j) for i in lost for j in (i - 1, i + 1)
            if 0 <= j < len(form) and plain(j) and is_product_word(form[j])]


def derive(names: Iterable[str]) -> list[str]:
    """The two-word names to protect, lower case as written, sorted: a word each name loses,
    with or without diacritics, with the product word before or after it."""
    found: set[str] = set()
    for part in (part for name in names for part in _CLAUSE.split(name)):
        tokens = tokenize(part)
        written = [token.lower() for token in tokens]
        # Places as written: "Đông trùng hạ thảo" names no place, though "trung ha" would.
        placed = {i for start, length, *_ in named_places(tokens)
                  for i in range(start, start + length)}
        for form in (tokens, [fold(token) for token in tokens]):
            found |= {" ".join(written[min(i, j):max(i, j) + 1]) for i, j in _cut(form, written, placed)}
    return sorted(found)


def protected() -> list[str]:
    """The names in the data file."""
    with COMPOUNDS.open(encoding="utf-8") as handle:
        names: list[str] = json.load(handle)["compounds"]
    return names


def write() -> None:
    """Rewrite the data file: the derived names, and any added by hand kept."""
    names = sorted(set(derive(product_names())) | set(protected() if COMPOUNDS.exists() else []))
    text = json.dumps({"note": NOTE, "compounds": names}, indent=1, ensure_ascii=False)
    COMPOUNDS.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
